// The admin's forms, one lazy chunk (loaded through admin/admin.lazy.tsx, inside the shop's pages).
export { NewProductForm } from '../../admin/NewProductForm';
export { ProductAdmin } from '../../admin/ProductAdmin';
