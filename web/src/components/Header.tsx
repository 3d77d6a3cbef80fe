import { loggedOut } from '../session';
import { navigate } from '../route';
import { useAppDispatch, useAppSelector } from '../store';

export function Header() {
  const auth = useAppSelector((state) => state.session.auth);
  const expired = useAppSelector((state) => state.session.expired);
  const dispatch = useAppDispatch();

  function logout() {
    dispatch(loggedOut());
    navigate('/');
  }

  return (
    <header>
      <div className="header">
        <a className="brand" href="#/">
          Shop
        </a>
        <nav>
          {auth ? (
            <>
              <span className="role" data-testid="current-role">
                {auth.role}
              </span>
              <button type="button" className="link" onClick={logout} data-testid="logout">
                Log out
              </button>
            </>
          ) : (
            <a href="#/login" data-testid="login-link">
              Log in
            </a>
          )}
        </nav>
      </div>
      {expired && (
        <p className="notice" data-testid="status" role="alert">
          Your session has expired. Please <a href="#/login">log in</a> again.
        </p>
      )}
    </header>
  );
}
