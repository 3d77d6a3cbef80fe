import { assertNever } from '@shop/domain';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { ErrorStatus, FieldError } from '../components/Status';
import type { BrokenLink, VerifyResult } from '@shop/client';
import { href } from '../route';
import { anchorOfSignedFile, anchorText, parseAnchorText, verdictOf } from './anchor';
import { useLazyVerifyLogQuery } from './audit.api';

/**
 * Recomputes every hash chain on the server: either the log is intact, or here is its first broken link. Given an
 * anchor kept from an earlier verification (pasted, or read from a signed anchor file), the server also checks that
 * the log up to the anchor's position still has the anchor's digest.
 */
export function VerifyPage() {
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [verify, { data, error, isFetching }] = useLazyVerifyLogQuery();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseAnchorText(typed);
    setProblem('error' in parsed ? parsed.error : undefined);
    if (!('error' in parsed)) void verify(parsed.anchor === undefined ? {} : { anchor: parsed.anchor }, false);
  }

  async function loadFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const read = anchorOfSignedFile(await file.text());
    setProblem('error' in read ? read.error : undefined);
    setFileNote('error' in read ? null : `From ${file.name}, signed ${read.time}.`);
    if (!('error' in read)) setTyped(read.anchor);
  }

  return (
    <section className="panel">
      <h1>Verify the log</h1>
      <p className="hint">Recomputes the hash of every event from its predecessor: an edited or deleted event breaks its stream's chain.</p>
      <form className="grid" noValidate onSubmit={submit} aria-label="Verify the log">
        <label className="wide">
          Anchor from an earlier verification (optional)
          <input
            className="mono"
            data-testid="verify-anchor"
            placeholder="position:digest"
            value={typed}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'anchor-problem' : undefined}
            onChange={(e) => setTyped(e.target.value)}
          />
          <FieldError text={problem} id="anchor-problem" />
        </label>
        <label className="wide">
          …or a signed anchor file
          <input type="file" accept=".json,application/json" data-testid="verify-anchor-file" onChange={(e) => void loadFile(e)} />
        </label>
        {fileNote && (
          <p className="hint wide" data-testid="anchor-file-note">
            {fileNote}
          </p>
        )}
        <p className="hint wide">
          The page reads the file's position and digest but does not check its signature (that needs your public key):{' '}
          <span className="mono">npm run audit -- verify --anchor &lt;file&gt; --public-key &lt;file&gt;</span> does.
        </p>
        <div className="wide">
          <button type="submit" data-testid="verify" disabled={isFetching}>
            {isFetching ? 'Verifying…' : 'Verify the log'}
          </button>
        </div>
      </form>
      <ErrorStatus error={error} />
      {data && !isFetching && <Verdict result={data} />}
    </section>
  );
}

function Verdict({ result }: { result: VerifyResult }) {
  const verdict = verdictOf(result);
  const checked = `${result.eventsChecked.toLocaleString()} events checked through position ${result.throughPosition}`;
  const keep = (
    <p>
      This log's anchor, to keep where the database's writers cannot reach: <span className="mono hash" data-testid="verify-new-anchor">{anchorText(result.anchor)}</span>
    </p>
  );
  const anchorLine = result.anchorCheck && (
    <p data-testid="anchor-check" data-matches={String(result.anchorCheck.matches)}>
      {result.anchorCheck.matches
        ? `✓ The anchor matches: the log up to position ${result.anchorCheck.position} is as it was when the anchor was taken.`
        : `✗ The anchor does not match: the log up to position ${result.anchorCheck.position} has been rewritten since the anchor was taken.`}
    </p>
  );
  switch (verdict.kind) {
    case 'intact':
      return (
        <div className="verdict verdict-ok" role="status" data-testid="verify-result" data-ok="true">
          <p>✓ The log is intact: {checked}.</p>
          {anchorLine}
          {keep}
        </div>
      );
    case 'anchor_differs':
      return (
        <div className="verdict verdict-broken" role="alert" data-testid="verify-result" data-ok="false">
          <p>✗ Every chain holds ({checked}), yet the log was rewritten consistently: the first bad position is at or before {verdict.position}.</p>
          {anchorLine}
        </div>
      );
    case 'broken':
      return (
        <div className="verdict verdict-broken" role="alert" data-testid="verify-result" data-ok="false">
          <p>
            ✗ The log has been tampered with ({checked}; {result.brokenLinks} broken links).
            {verdict.firstBadPosition !== null && (
              <>
                {' '}
                First bad position: <span className="mono" data-testid="first-bad-position">{verdict.firstBadPosition}</span>.
              </>
            )}
          </p>
          {anchorLine}
          {result.firstBroken && <BrokenLinkDetails link={result.firstBroken} />}
        </div>
      );
    default:
      return assertNever(verdict);
  }
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
