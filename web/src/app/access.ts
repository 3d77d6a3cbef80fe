import { assertNever } from '@shop/domain';
import type { Role } from '@shop/client';
import { href, type Page } from '../route';

/** Who is looking: a role, or a visitor who has not logged in. */
export type Viewer = Role | 'guest';

const EVERYONE = ['guest', 'shopper', 'admin', 'auditor', 'analyst'] as const satisfies readonly Viewer[];

/** Which viewers a page is for; it mirrors the `x-roles` of the routes each page calls (docs/openapi.json). */
export function audienceOf(page: Page): readonly Viewer[] {
  switch (page) {
    case 'catalog':
    case 'product':
    case 'login':
    case 'register':
    case 'notFound':
      return EVERYONE;
    // Only shoppers place orders; a guest may fill a cart and log in to check out.
    case 'cart':
      return ['guest', 'shopper'];
    case 'orders':
    case 'order':
      return ['shopper', 'admin', 'auditor'];
    case 'auditLog':
    case 'auditStream':
    case 'auditOrder':
    case 'verify':
      return ['auditor'];
    case 'sales':
      return ['analyst', 'admin'];
    // GET /api/orders is the auditor's too, but these pages are for acting: ship, refund, stock, redrive (admin only).
    case 'adminOrders':
    case 'adminProducts':
    case 'deadLetters':
      return ['admin'];
    default:
      return assertNever(page);
  }
}

export const canOpen = (page: Page, viewer: Viewer): boolean => audienceOf(page).includes(viewer);

export interface NavItem {
  page: Page;
  label: string;
  href: string;
}

/** Viewers who get a page in its stead: the admin's orders page (filters, actions) replaces the plain list in their menu. */
const REPLACED_FOR: Partial<Record<Page, readonly Viewer[]>> = { orders: ['admin'] };

const NAVIGATION: readonly NavItem[] = [
  { page: 'catalog', label: 'Catalog', href: href.catalog() },
  { page: 'cart', label: 'Cart', href: href.cart() },
  { page: 'orders', label: 'Orders', href: href.orders() },
  { page: 'adminOrders', label: 'Orders', href: href.adminOrders() },
  { page: 'adminProducts', label: 'Products', href: href.adminProducts() },
  { page: 'deadLetters', label: 'Dead letters', href: href.deadLetters() },
  { page: 'auditLog', label: 'Audit log', href: href.auditLog() },
  { page: 'auditOrder', label: 'Order history', href: href.auditOrder() },
  { page: 'verify', label: 'Verify the log', href: href.verify() },
  { page: 'sales', label: 'Sales', href: href.sales() },
];

/** The pages to offer a viewer: only those they may use (a shopper's orders are "My orders"). */
export function navigationFor(viewer: Viewer): NavItem[] {
  return NAVIGATION.filter((item) => canOpen(item.page, viewer) && !REPLACED_FOR[item.page]?.includes(viewer)).map((item) =>
    item.page === 'orders' && viewer === 'shopper' ? { ...item, label: 'My orders' } : item,
  );
}

/** Words for the roles a page is for, e.g. "an admin or an analyst". */
export function describeAudience(page: Page): string {
  const roles = audienceOf(page).filter((viewer): viewer is Role => viewer !== 'guest');
  const words = roles.map((role) => `${role === 'admin' || role === 'auditor' || role === 'analyst' ? 'an' : 'a'} ${role}`);
  return words.length <= 1 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
