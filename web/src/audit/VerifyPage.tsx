import { ErrorStatus } from '../components/Status';
import type { BrokenLink, VerifyResult } from '@shop/client';
import { href } from '../route';
import { useLazyVerifyLogQuery } from './audit.api';

/** Recomputes every hash chain on the server: either the log is intact, or here is its first broken link. */
export function VerifyPage() {
  const [verify, { data, error, isFetching }] = useLazyVerifyLogQuery();
  return (
    <section className="panel">
      <h1>Verify the log</h1>
      <p className="hint">Recomputes the hash of every event from its predecessor: an edited or deleted event breaks its stream's chain.</p>
      <button type="button" data-testid="verify" disabled={isFetching} onClick={() => void verify(undefined, false)}>
        {isFetching ? 'Verifying…' : 'Verify the log'}
      </button>
      <ErrorStatus error={error} />
      {data && !isFetching && <Verdict result={data} />}
    </section>
  );
}

function Verdict({ result }: { result: VerifyResult }) {
  if (result.ok) {
    return (
      <p className="verdict verdict-ok" role="status" data-testid="verify-result" data-ok="true">
        ✓ The log is intact: {result.eventsChecked.toLocaleString()} events checked.
      </p>
    );
  }
  return (
    <div className="verdict verdict-broken" role="alert" data-testid="verify-result" data-ok="false">
      <p>
        ✗ The log has been tampered with ({result.eventsChecked.toLocaleString()} events checked).
        {result.firstBroken ? ' The first broken link:' : ''}
      </p>
      {result.firstBroken && <BrokenLinkDetails link={result.firstBroken} />}
    </div>
  );
}

function BrokenLinkDetails({ link }: { link: BrokenLink }) {
  return (
    <dl data-testid="first-broken">
      <dt>Stream</dt>
      <dd>
        <a className="mono" href={href.auditStream(link.streamId)}>
          {link.streamId}
        </a>{' '}
        version {link.streamVersion}
      </dd>
      {link.reason && (
        <>
          <dt>Why</dt>
          <dd>
            <span className="mono">{link.reason}</span>
            {link.detail && `: ${link.detail}`}
          </dd>
        </>
      )}
      <dt>Position</dt>
      <dd className="mono">{link.globalPosition ?? '—'}</dd>
      <dt>Event</dt>
      <dd className="mono">{link.eventId ?? '—'}</dd>
      <dt>Expected hash</dt>
      <dd className="mono hash">{link.expectedHash}</dd>
      <dt>Stored hash</dt>
      <dd className="mono hash">{link.actualHash ?? '—'}</dd>
    </dl>
  );
}
