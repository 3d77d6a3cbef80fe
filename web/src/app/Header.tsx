import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useLogoutMutation } from '../auth/auth.api';
import { href, navigate, useHash, useRoute } from '../route';
import { loggedOut } from '../session';
import { itemCount } from '../shop/cart';
import { useAppDispatch, useAppSelector } from '../store';
import { navigationFor } from './access';
import { useViewer } from './viewer';

const MENU_ID = 'site-menu';

export function Header() {
  const viewer = useViewer();
  const expired = useAppSelector((state) => state.session.expired);
  const inCart = useAppSelector((state) => itemCount(state.cart.lines));
  const current = useRoute().page;
  const dispatch = useAppDispatch();
  const [revokeTokens] = useLogoutMutation();
  const { open, setOpen, button } = useMenu();

  async function logout() {
    // The server revokes the token first (it must still be sent); the tab logs out whatever the answer (an expired
    // token, no network): the local session ends either way.
    await revokeTokens().unwrap().catch(() => undefined);
    dispatch(loggedOut());
    // Nothing read with this login may be shown to whoever uses the tab next.
    dispatch(api.util.resetApiState());
    navigate(href.catalog());
  }

  return (
    <header>
      <div className="header">
        <a className="brand" href={href.catalog()}>
          Shop
        </a>
        {/* Narrow screens only (styles.css): the links fold away behind this button. */}
        <button
          ref={button}
          type="button"
          className="menu-button"
          aria-expanded={open}
          aria-controls={MENU_ID}
          data-testid="menu-button"
          onClick={() => setOpen(!open)}
        >
          <span className="menu-icon" aria-hidden="true" />
          Menu
          {inCart > 0 && (
            <span className="badge">
              {inCart}
              <span className="visually-hidden"> in cart</span>
            </span>
          )}
        </button>
        <div id={MENU_ID} className={open ? 'menu open' : 'menu'}>
          <nav aria-label="Main">
            {navigationFor(viewer).map((item) => (
              <a key={item.page} href={item.href} data-testid={`nav-${item.page}`} aria-current={item.page === current ? 'page' : undefined}>
                {item.label}
                {item.page === 'cart' && inCart > 0 && <span className="badge">{inCart}</span>}
              </a>
            ))}
          </nav>
          <div className="account">
            {viewer !== 'guest' ? (
              <>
                <span className="role" data-testid="current-role">
                  {viewer}
                </span>
                <button type="button" className="link" onClick={() => void logout()} data-testid="logout">
                  Log out
                </button>
              </>
            ) : (
              <>
                <a href={href.login()} data-testid="login-link">
                  Log in
                </a>
                <a href={href.register()} data-testid="register-link">
                  Register
                </a>
              </>
            )}
          </div>
        </div>
      </div>
      {expired && (
        <p className="notice" data-testid="session-expired" role="alert">
          Your session has expired. Please <a href={href.login()}>log in</a> again.
        </p>
      )}
    </header>
  );
}

/**
 * The narrow screen's menu: open or closed. It closes when the user goes to another page (any link in it) and on
 * Escape, which puts the focus back on the button so a keyboard user is where they were.
 */
function useMenu() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);

  const hash = useHash();
  const [openedAt, setOpenedAt] = useState(hash);
  if (openedAt !== hash) {
    setOpenedAt(hash);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  return { open, setOpen, button };
}
