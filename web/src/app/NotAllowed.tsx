import { href, type Page } from '../route';
import { describeAudience, type Viewer } from './access';

/** A page this viewer may not use: say who may, and offer a login when signed out. */
export function NotAllowed({ page, viewer }: { page: Page; viewer: Viewer }) {
  const who = describeAudience(page);
  return (
    <section className="panel narrow" data-testid="not-allowed">
      <h1>Not available</h1>
      {viewer === 'guest' ? (
        <p>
          This page is for {who}. <a href={href.login(window.location.hash.replace(/^#/, ''))}>Log in</a> to use it.
        </p>
      ) : (
        <p>
          This page is for {who}; you are signed in as {viewer}. <a href={href.catalog()}>Back to the catalog</a>
        </p>
      )}
    </section>
  );
}
