// Login and registration, one lazy chunk: a visitor who never logs in never downloads it.
export { LoginForm } from '../../auth/LoginForm';
export { RegisterForm } from '../../auth/RegisterForm';
