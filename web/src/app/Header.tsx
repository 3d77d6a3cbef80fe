import { api } from '../api';
import { useLogoutMutation } from '../auth/auth.api';
import { href, navigate, useRoute } from '../route';
import { loggedOut } from '../session';
import { itemCount } from '../shop/cart';
import { useAppDispatch, useAppSelector } from '../store';
import { navigationFor } from './access';
import { useViewer } from './viewer';

export function Header() {
  const viewer = useViewer();
  const expired = useAppSelector((state) => state.session.expired);
  const inCart = useAppSelector((state) => itemCount(state.cart.lines));
  const current = useRoute().page;
  const dispatch = useAppDispatch();
  const [revokeTokens] = useLogoutMutation();

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
      {expired && (
        <p className="notice" data-testid="session-expired" role="alert">
          Your session has expired. Please <a href={href.login()}>log in</a> again.
        </p>
      )}
    </header>
  );
}
