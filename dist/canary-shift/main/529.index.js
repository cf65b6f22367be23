export const id = 529;
export const ids = [529,291];
export const modules = {

/***/ 9529:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  writeIncident: () => (/* binding */ writeIncident)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 9 modules
var core = __webpack_require__(9584);
// EXTERNAL MODULE: ./packages/report/src/index.ts
var src = __webpack_require__(8796);
// EXTERNAL MODULE: ./packages/github/src/client.ts
var client = __webpack_require__(2994);
// EXTERNAL MODULE: ./packages/github/src/deployments.ts
var deployments = __webpack_require__(3345);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/github/src/issues/marker.ts
// The hidden marker every issue the engine writes carries on its first line. A run finds its issue by
// listing the marker label and reading this marker, never through the search API (whose index
// lags, so a re-run right after a create would not see it and would open a second issue).
const PREFIX = '<!-- deploy-actions:create-tracking-issue ';
// The JSON never holds `<` or `>` (escaped below), so `-->` or `--!>` inside a key cannot end the
// comment early, and `[^<>]*` finds its end.
const MARKER = /<!-- deploy-actions:create-tracking-issue (\{[^<>]*\}) -->/;
function formatMarker(marker) {
    const json = JSON.stringify({ key: marker.key, series: marker.series }).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'));
    return `${PREFIX}${json} -->`;
}
// A comment carries its own marker, last, with an id drawn for that one post: when GitHub's answer to
// the post is lost, the run lists the comments and knows whether its comment is among them.
const COMMENT_MARKER = /<!-- deploy-actions:comment ([0-9a-f-]{36}) -->/;
function formatCommentMarker(id) {
    return `<!-- deploy-actions:comment ${id} -->`;
}
/** The id in a comment's marker, or undefined when it has none. */
function parseCommentMarker(body) {
    return (body ? COMMENT_MARKER.exec(body) : null)?.[1];
}
/** The marker of an issue body, or undefined when it has none (or one not of our making). */
function parseMarker(body) {
    const found = body ? MARKER.exec(body) : null;
    if (!found)
        return undefined;
    try {
        const value = JSON.parse(found[1]);
        if (typeof value !== 'object' || value === null)
            return undefined;
        const { key, series } = value;
        return typeof key === 'string' && typeof series === 'string' ? { key, series } : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/github/src/issues/limit.ts
// GitHub refuses an issue or comment body over 65,536 characters ("body is too long (maximum is
// 65536 characters)"), counting characters as code points, not UTF-16 code units: measured in
// dead-claudia/github-limits pull request 13 (a body of 65,536 astral emoji passes, one more code
// point fails), and what Ruby's String#length counts. A body within 65,536 code points is also within
// 262,144 UTF-8 bytes, the other limit measured there. A longer body is cut, never refused: the
// marker stays first, and a note says what was left out, both inside the limit.
const MAX_BODY_CHARACTERS = 65_536;
/** Characters as GitHub counts them: code points. */
function characterCount(text) {
    let count = 0;
    for (const _ of text)
        count += 1;
    return count;
}
/**
 * `head` (the marker), then as much of `content` as fits, then, when something was cut, `note`
 * (given how many characters were left out); never cutting a code point in two.
 */
function fitBody(head, content, note, limit = MAX_BODY_CHARACTERS) {
    const whole = head + content;
    if (whole.length <= limit || characterCount(whole) <= limit)
        return { text: whole, omitted: 0 };
    const characters = Array.from(content);
    // The note's own length depends on the count it shows; the count's digits bound it from above.
    const noteRoom = characterCount(note(characters.length));
    const keep = Math.max(0, limit - characterCount(head) - noteRoom);
    const omitted = characters.length - keep;
    return { text: head + characters.slice(0, keep).join('') + note(omitted), omitted };
}

;// CONCATENATED MODULE: ./packages/github/src/issues/plan.ts
function withKey(issues, key) {
    return issues.filter((issue) => issue.marker.key === key).sort((a, b) => a.number - b.number);
}
function planTrack(issues, wanted) {
    const matching = withKey(issues, wanted.key);
    const open = matching.filter((issue) => issue.state === 'open');
    const [survivor, ...duplicates] = open;
    const lastClosed = matching.filter((issue) => issue.state === 'closed').at(-1);
    if (wanted.close)
        return survivor ? { step: { kind: 'close', issue: survivor }, survivor, duplicates } : { step: { kind: 'nothing', ...(lastClosed ? { closed: lastClosed } : {}) }, duplicates: [] };
    if (wanted.mode === 'create-always')
        return { step: { kind: 'create' }, duplicates: [] };
    if (survivor)
        return { step: { kind: wanted.mode, issue: survivor }, survivor, duplicates };
    if (lastClosed)
        return { step: wanted.reopen ? { kind: 'reopen', issue: lastClosed } : { kind: 'create', follows: lastClosed }, duplicates: [] };
    return { step: { kind: 'create' }, duplicates: [] };
}
/**
 * After creating `created`, the open issues with its key as listed again: the elder one if it is
 * not ours (ours is then the duplicate, closed by this run), else undefined (ours survives; a
 * younger one is its own run's to close).
 */
function elderThan(created, openWithKey) {
    const elder = openWithKey.filter((issue) => issue.state === 'open').sort((a, b) => a.number - b.number)[0];
    return elder && elder.number < created ? elder : undefined;
}
/** Open issues of the series with another key: what close-previous closes. */
function previousInSeries(issues, marker, current) {
    return issues.filter((issue) => issue.state === 'open' && issue.number !== current && issue.marker.series === marker.series && issue.marker.key !== marker.key).sort((a, b) => a.number - b.number);
}
/** The fields of an update that differ from the issue as it is; empty when nothing would change. */
function changes(issue, desired) {
    const patch = {};
    if (issue.title !== desired.title)
        patch.title = desired.title;
    if (issue.body !== desired.body)
        patch.body = desired.body;
    // GitHub matches label names and logins without regard to case.
    if (!sameSet(issue.labels, desired.labels))
        patch.labels = desired.labels;
    if (!sameSet(issue.assignees, desired.assignees))
        patch.assignees = desired.assignees;
    if (desired.milestone !== undefined && issue.milestone !== desired.milestone)
        patch.milestone = desired.milestone;
    return patch;
}
function sameSet(a, b) {
    const left = new Set(a.map((value) => value.toLowerCase()));
    const right = new Set(b.map((value) => value.toLowerCase()));
    return left.size === right.size && [...left].every((value) => right.has(value));
}

// EXTERNAL MODULE: ./packages/inputs/src/index.ts
var inputs_src = __webpack_require__(9247);
;// CONCATENATED MODULE: ./packages/github/src/issues/sections.ts
// The built-in sections a deploy's issue needs, each shown only when given: the monitoring window,
// the checklist, the rollback command, the results of earlier steps, and the links (the run's
// always among them).


/** The issue's markdown below the marker: the user's body, then the sections that were given. */
function renderContent(body, sections, context) {
    const parts = [];
    if (body.trim() !== '')
        parts.push(body.trim());
    if (context.follows)
        parts.push(`Follows #${context.follows.number}, closed.`);
    if (sections.monitorForMs !== undefined) {
        const line = (context.previousBody && windowOfSameRun(context.previousBody, sections.monitorForMs, context.runUrl)) || monitoringLine(sections.monitorForMs, context.now);
        parts.push(`### Monitoring\n\n${line}`);
    }
    if (sections.checklist.length > 0)
        parts.push(`### Checklist\n\n${sections.checklist.map((item) => `- [ ] ${item}`).join('\n')}`);
    if (sections.rollbackCommand !== undefined)
        parts.push(`### Rollback\n\n${(0,src/* codeBlock */.DV)(sections.rollbackCommand)}`);
    if (sections.results.length > 0)
        parts.push(`### Results\n\n${sections.results.map(resultsTable).join('\n\n')}`);
    parts.push(`### Links\n\n${[{ title: 'Workflow run', url: context.runUrl }, ...sections.links].map((link) => `- [${(0,src/* cell */.Hn)(link.title)}](${link.url})`).join('\n')}`);
    return parts.join('\n\n');
}
/** "Watch until 14:30 UTC (1h from 13:30 UTC)"; the date too when the window ends on another day. */
function monitoringLine(durationMs, now) {
    const until = new Date(now.getTime() + durationMs);
    const sameDay = until.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
    return `Watch until **${sameDay ? '' : `${until.toISOString().slice(0, 10)} `}${clock(until)} UTC** (${(0,inputs_src/* formatDuration */.a3)(durationMs)} from ${clock(now)} UTC).`;
}
/**
 * The monitoring line of an issue body this same run wrote (its run link is there) with a window of
 * the same length: a re-run of the step keeps the window it opened, so it changes nothing.
 */
function windowOfSameRun(previousBody, durationMs, runUrl) {
    if (!previousBody.includes(`- [Workflow run](${runUrl})\n`) && !previousBody.endsWith(`- [Workflow run](${runUrl})`))
        return undefined;
    const line = /^Watch until \*\*[^*\n]+ UTC\*\* \((.+?) from \d\d:\d\d UTC\)\.$/m.exec(previousBody);
    return line && line[1] === (0,inputs_src/* formatDuration */.a3)(durationMs) ? line[0] : undefined;
}
function clock(date) {
    return date.toISOString().slice(11, 16);
}
/**
 * One JSON document as a table: a list of objects gets a row each and a column per key (in the
 * order keys first appear); an object with a list of objects under one key (smoke-test's `tests`)
 * shows its other fields above that list's table; any other object is a two-column table.
 */
function resultsTable(document) {
    if (Array.isArray(document))
        return rowsTable(document);
    if (isObject(document)) {
        const listKey = Object.keys(document).find((key) => Array.isArray(document[key]) && document[key].every(isObject) && document[key].length > 0);
        const fields = Object.entries(document).filter(([key]) => key !== listKey);
        const fieldTable = fields.length > 0 ? (0,src/* table */.tp)(['Field', 'Value'], fields.map(([key, value]) => [(0,src/* cell */.Hn)(key), valueCell(value)])) : '';
        return [fieldTable, listKey ? rowsTable(document[listKey]) : ''].filter(Boolean).join('\n\n');
    }
    return (0,src/* table */.tp)(['Value'], [[valueCell(document)]]);
}
function rowsTable(rows) {
    if (rows.length === 0)
        return '_No results._';
    if (!rows.every(isObject))
        return (0,src/* table */.tp)(['Value'], rows.map((row) => [valueCell(row)]));
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    return (0,src/* table */.tp)(columns.map(src/* cell */.Hn), rows.map((row) => columns.map((column) => (column in row ? valueCell(row[column]) : ''))));
}
function valueCell(value) {
    if (value === null || value === undefined)
        return '–';
    if (typeof value === 'boolean')
        return value ? '✅ true' : '❌ false';
    if (typeof value === 'string')
        return (0,src/* cell */.Hn)(value);
    if (typeof value === 'number')
        return String(value);
    return (0,src/* codeSpan */.SS)(JSON.stringify(value), { inTable: true });
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ./packages/github/src/issues/tracker.ts
// The calls to GitHub: list the marker label's issues (state all, every page), carry out the plan,
// check for a concurrent run's duplicate after creating, close the series' previous issues.
// Writes happen only when something differs, so an identical re-run lists and writes nothing.






async function track(github, request, hooks) {
    const { owner, repo, marker } = request;
    const listed = await listTracked(github, request, 'all');
    hooks.log(`Found ${(0,src/* plural */.LS)(listed.length, 'issue')} labelled ${request.markerLabel}, ${withKey(listed, marker.key).length} with this key.`);
    const { step, survivor, duplicates } = planTrack(listed, { key: marker.key, mode: request.mode, reopen: request.reopen, close: request.close });
    let cut;
    const content = (previous, follows, body = request.body) => renderContent(body, request.sections, { now: hooks.now, runUrl: request.runUrl, ...(follows ? { follows } : {}), ...(previous ? { previousBody: previous.body } : {}) });
    /** `head`, as much of `text` as fits, then `tail`: within GitHub's limit all together. */
    const fit = (head, text, tail = '') => {
        const fitted = fitBody(head, text, (omitted) => `\n\n---\n_${omitted.toLocaleString('en-US')} characters are left out here: GitHub takes at most 65,536. The full text is in the job summary of the [workflow run](${request.runUrl})._`, MAX_BODY_CHARACTERS - characterCount(tail));
        if (fitted.omitted > 0) {
            cut = { omitted: fitted.omitted, content: text };
            hooks.warn(`The body is over GitHub's limit of 65,536 characters; ${fitted.omitted} characters are left out of the issue (the job summary has them all).`);
        }
        return fitted.text + tail;
    };
    /** What the issue should hold; `current` is the issue as it is (a re-run of this run keeps its monitoring window). */
    const desired = (current, follows) => ({
        title: request.title,
        body: fit(`${formatMarker(marker)}\n`, content(current, follows)),
        labels: request.labels,
        assignees: request.assignees,
        ...(request.milestone === undefined ? {} : { milestone: request.milestone })
    });
    const update = (issue, fields) => github.rest.issues.update({ owner, repo, issue_number: issue.number, ...fields });
    /**
     * Comments on the issue. As with creating an issue, the client never resends this POST (a 5xx may
     * come after GitHub took the comment): when the answer is lost, the comments since just before are
     * listed, ours is known by its marker, and it is posted again only when GitHub did not take it.
     */
    const comment = async (issue, text) => {
        const body = fit('', text, `\n\n${formatCommentMarker((0,external_node_crypto_.randomUUID)())}`);
        const id = parseCommentMarker(body);
        // GitHub's clock, not ours, stamps the comment: look back a few minutes to allow for the difference.
        const since = new Date(Date.now() - 5 * 60_000).toISOString();
        const post = () => github.rest.issues.createComment({ owner, repo, issue_number: issue.number, body });
        try {
            await post();
        }
        catch (error) {
            const status = error.status;
            if (status !== undefined && status < 500)
                throw error;
            hooks.warn(`Commenting on #${issue.number} got ${status ?? error.message} for an answer; looking whether GitHub took the comment before posting it again.`);
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: issue.number, since, per_page: 100 });
            if (comments.some((listed) => parseCommentMarker(listed.body) === id)) {
                hooks.log(`The comment on #${issue.number} was taken; not posting it again.`);
                return;
            }
            await post();
        }
    };
    const closeWithComment = async (issue, text, reason) => {
        await comment(issue, text);
        await update(issue, { state: 'closed', state_reason: reason });
    };
    const result = (action, issue, closedPrevious = []) => ({
        action,
        ...(issue ? { issue: { number: issue.number, url: issue.url, title: issue.title } } : {}),
        closedPrevious,
        ...(cut ? { cut } : {})
    });
    for (const duplicate of survivor ? duplicates : []) {
        hooks.log(`#${duplicate.number} has the same key as the elder #${survivor.number}; closing it as a duplicate.`);
        await closeWithComment(duplicate, `Closed as a duplicate of #${survivor.number}, an issue for the same key opened before it.`, 'duplicate');
    }
    let action;
    let issue;
    /** False when this run yielded to a concurrent one: that run closes the previous issues. */
    let ownsSeries = true;
    switch (step.kind) {
        case 'nothing':
            hooks.log(`No open issue has this key${step.closed ? ` (#${step.closed.number} is closed)` : ''}; nothing to close.`);
            // No output names an issue: nothing was closed, and a later step asking `number != ''` must
            // not take a long-closed issue for one this run closed.
            return { ...result('unchanged', undefined), ...(step.closed ? { alreadyClosed: { number: step.closed.number, url: step.closed.url, title: step.closed.title } } : {}) };
        case 'close': {
            // In comment mode the body is the closing comment and the issue keeps its own (an incident's
            // account of what failed); otherwise the issue is updated, then closed, in one write.
            if (request.mode === 'comment') {
                await closeWithComment(step.issue, content(step.issue, undefined, request.commentBody?.(step.issue)), 'completed');
                return result('closed', { ...step.issue, state: 'closed' });
            }
            if (request.commentBody)
                await comment(step.issue, request.commentBody(step.issue));
            const patch = changes(step.issue, desired(step.issue));
            await update(step.issue, { ...patch, state: 'closed', state_reason: 'completed' });
            return result('closed', { ...step.issue, ...patch, state: 'closed' });
        }
        case 'comment': {
            await comment(step.issue, content(step.issue, undefined, request.commentBody?.(step.issue)));
            [action, issue] = ['commented', step.issue];
            break;
        }
        case 'update':
        case 'reopen': {
            const patch = changes(step.issue, desired(step.issue));
            const reopening = step.kind === 'reopen';
            if (!reopening && Object.keys(patch).length === 0)
                [action, issue] = ['unchanged', step.issue];
            else {
                issue = written((await update(step.issue, reopening ? { ...patch, state: 'open', state_reason: 'reopened' } : patch)).data);
                action = reopening ? 'reopened' : 'updated';
            }
            // The issue was there already: comment-body says what this run adds to it.
            if (request.commentBody) {
                await comment(issue, request.commentBody(issue));
                if (action === 'unchanged')
                    action = 'commented';
            }
            break;
        }
        case 'create': {
            const wanted = desired(undefined, step.follows);
            const created = await createOnce(github, request, wanted, listed, hooks);
            // A run that listed at the same moment may have created one too: list again, and if an elder
            // issue with this key is open, ours is the duplicate; close it and write to the elder.
            const elder = request.mode === 'create-always' ? undefined : elderThan(created.number, withKey(await listTracked(github, request, 'open'), marker.key));
            if (elder) {
                hooks.log(`#${elder.number} with the same key was opened by a run at the same time; closing #${created.number} as its duplicate.`);
                await closeWithComment(created, `Closed as a duplicate of #${elder.number}, opened for the same key by a run at the same time.`, 'duplicate');
                ownsSeries = false;
                const patch = changes(elder, desired(elder));
                if (Object.keys(patch).length === 0)
                    [action, issue] = ['unchanged', elder];
                else
                    [action, issue] = ['updated', written((await update(elder, patch)).data)];
            }
            else
                [action, issue] = ['created', created];
            break;
        }
    }
    const closedPrevious = [];
    if (request.closePrevious && ownsSeries) {
        for (const previous of previousInSeries(listed, marker, issue.number)) {
            await closeWithComment(previous, `Superseded by #${issue.number}.`, 'completed');
            closedPrevious.push(previous.number);
        }
    }
    return result(action, issue, closedPrevious);
}
/**
 * Creates the issue. The client never resends this POST (a 5xx may come after GitHub created it),
 * so when the answer is lost the issues are listed again: an open one with our key, title and body
 * that was not there before is ours; only when there is none is it created a second time.
 */
async function createOnce(github, request, wanted, before, hooks) {
    const create = async () => written((await github.rest.issues.create({ owner: request.owner, repo: request.repo, ...wanted })).data);
    try {
        return await create();
    }
    catch (error) {
        const status = error.status;
        if (status !== undefined && status < 500)
            throw error;
        hooks.warn(`Creating the issue got ${status ?? error.message} for an answer; looking whether GitHub created it before trying again.`);
        const known = new Set(before.map((issue) => issue.number));
        const ours = withKey(await listTracked(github, request, 'open'), request.marker.key).find((issue) => !known.has(issue.number) && issue.title === wanted.title && issue.body === wanted.body);
        if (ours) {
            hooks.log(`#${ours.number} was created; not creating it again.`);
            return ours;
        }
        return await create();
    }
}
/** The issues with the marker label that carry our marker, every page. Pull requests are left out. */
async function listTracked(github, request, state) {
    const issues = await github.paginate(github.rest.issues.listForRepo, { owner: request.owner, repo: request.repo, labels: request.markerLabel, state, per_page: 100 });
    return issues.filter((issue) => !issue.pull_request).flatMap((issue) => {
        const tracked = toTracked(issue);
        return tracked ? [tracked] : [];
    });
}
/** An issue this run wrote: it carries the marker. */
function written(data) {
    const issue = toTracked(data);
    if (!issue)
        throw new Error(`GitHub answered #${data.number} without the marker this step wrote`);
    return issue;
}
function toTracked(data) {
    const marker = parseMarker(data.body);
    if (!marker)
        return undefined;
    return {
        marker,
        number: data.number,
        url: data.html_url,
        state: data.state === 'closed' ? 'closed' : 'open',
        title: data.title,
        body: data.body ?? '',
        labels: data.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean),
        assignees: (data.assignees ?? []).map((assignee) => assignee.login),
        milestone: data.milestone?.number ?? null,
        createdAt: data.created_at
    };
}

;// CONCATENATED MODULE: ./packages/github/src/issues/incident.ts
// The incident issue canary-shift and rollback open when they roll back: one per subject (the
// Worker or service) and environment, written through the same engine as create-tracking-issue
// (hidden marker and label, no search, the race and lost-answer rules, GitHub's length limit). The
// first rollback opens it with its account; each later one while it is open comments with its own,
// so a re-run never opens a second issue. A closed incident is history: the next rollback opens a
// new one that links it.





/** The label beside `incident` that every issue of the engine carries, as create-tracking-issue's default. */
const INCIDENT_MARKER_LABEL = 'deploy-tracking';
/** The key two runs share for one incident; create-tracking-issue finds the same issue with `dedupe-key` set to it. */
function incidentKey(subject, environment) {
    return `incident: ${subject} in ${environment}`;
}
/**
 * Opens or comments on the incident issue and sets the `incident-number` and `incident-url`
 * outputs. Never throws: a failure is an error annotation and the `incident-error` output, so the
 * step's own result, reported before, stays what it was.
 */
async function writeIncidentIssue(report, hooks, env = process.env) {
    const mask = report.mask ?? ((text) => text);
    try {
        const repository = (0,deployments/* runRepository */.Yk)(env);
        const link = (0,deployments/* runUrl */.Vp)(env);
        if (!repository || !link)
            throw new Error('GITHUB_REPOSITORY, GITHUB_SERVER_URL or GITHUB_RUN_ID is not set: there is no repository or run to name');
        const { subject, environment } = report;
        const account = mask(report.account(link));
        const written = await track((0,client/* githubClient */.$f)({ token: report.token }), {
            owner: repository.owner,
            repo: repository.repo,
            runUrl: link,
            title: `Incident: ${subject} rolled back in ${environment}`,
            body: account,
            commentBody: () => account,
            sections: { checklist: [], links: [], results: [] },
            labels: [INCIDENT_MARKER_LABEL, 'incident'],
            assignees: [],
            marker: { key: incidentKey(subject, environment), series: `incidents: ${environment}` },
            markerLabel: INCIDENT_MARKER_LABEL,
            mode: 'comment',
            reopen: false,
            close: false,
            closePrevious: false
        }, { log: hooks.log, warn: hooks.warn, now: new Date() });
        const issue = written.issue;
        hooks.log(`Incident #${issue.number} ${written.action === 'created' ? 'opened' : written.action}: ${issue.url}`);
        core/* setOutput */.uH('incident-number', String(issue.number));
        core/* setOutput */.uH('incident-url', issue.url);
    }
    catch (error) {
        const message = mask(`the incident issue was not written: ${(0,src/* oneLine */.TN)(error.message)}`);
        core/* setOutput */.uH('incident-error', message);
        core/* error */.z3(message, { title: `${report.step}: incident issue` });
    }
}

// EXTERNAL MODULE: ./actions/canary-shift/src/summary.ts
var summary = __webpack_require__(1291);
;// CONCATENATED MODULE: ./actions/canary-shift/src/incident.ts
// canary-shift's incident issue, loaded only with incident-issue once a shift has rolled back: what
// was rolled back, then the job summary's own account (the same renderer, so the issue and the
// summary never differ), written by the shared engine, which never throws.



async function writeIncident(settings, subject, outcome, context, masker, hooks) {
    const failed = outcome.failedStep === undefined ? undefined : outcome.steps[outcome.failedStep];
    const account = (link) => {
        const facts = (0,src/* table */.tp)(['What', ''], [
            ['Rolled back', `from ${(0,src/* codeSpan */.SS)(context.canary, { inTable: true })} (the canary) to ${(0,src/* codeSpan */.SS)(context.stable, { inTable: true })} (stable)`],
            ['Result', (0,src/* codeSpan */.SS)(outcome.result, { inTable: true })],
            ...(failed ? [['Stopped at', `the ${failed.percentage} % step (${failed.verdict})`]] : []),
            ['Why', (0,src/* cell */.Hn)(outcome.reason)],
            ['Run', `[${(0,src/* cell */.Hn)(link)}](${link})`]
        ]);
        return `**${subject}** in **${settings.environment}** was rolled back by canary-shift.\n\n${facts}\n\n${(0,summary.renderSummary)(outcome, context, masker)}`;
    };
    await writeIncidentIssue({ ...settings, subject, account, step: 'canary-shift', mask: (text) => masker.mask(text) }, hooks);
}


/***/ }),

/***/ 1291:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   renderSummary: () => (/* binding */ renderSummary),
/* harmony export */   timelineJson: () => (/* binding */ timelineJson)
/* harmony export */ });
/* unused harmony export renderChart */
/* harmony import */ var _deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9247);
/* harmony import */ var _deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8796);
/* harmony import */ var _judge_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9664);
/* harmony import */ var _shift_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8111);
/* harmony import */ var _split_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3623);
// What the user reads: the timeline output, the job summary (the failing step first, a table of the
// steps, a chart of traffic and both error rates over time, each judged step's windows).





function measureJson(measure) {
    if (!measure)
        return null;
    return { samples: measure.samples, errors: measure.errors, 'error-rate': Number((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(measure).toFixed(4)), 'p50-ms': measure.p50Ms, 'p95-ms': measure.p95Ms };
}
/** The source a step's numbers are shown from: probes where they ran, else the analytics. */
function primarySource(step, metrics) {
    const measured = new Set(step.windows.flatMap((w) => w.measures.map((m) => m.source)));
    if (measured.has('probes'))
        return 'probes';
    if (measured.has('cloudflare-analytics'))
        return 'cloudflare-analytics';
    return metrics[0] ?? 'probes';
}
function sourceJson(measure) {
    if ('error' in measure)
        return { error: measure.error };
    return { canary: measureJson(measure.canary), stable: measureJson(measure.stable) };
}
/** The `timeline` output. */
function timelineJson(outcome, context, masker) {
    const steps = outcome.steps.map((step) => {
        const source = primarySource(step, context.metrics);
        return {
            percentage: step.percentage,
            'started-at': step.startedAt,
            'ended-at': step.endedAt,
            verdict: step.verdict,
            reason: step.reason,
            source,
            canary: measureJson((0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'canary')),
            stable: measureJson((0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'stable')),
            windows: step.windows.map((w) => ({
                start: w.start,
                end: w.end,
                verdict: w.verdict,
                reasons: w.reasons,
                sources: Object.fromEntries(w.measures.map((m) => [m.source, sourceJson(m)]))
            }))
        };
    });
    return masker.mask(JSON.stringify(steps));
}
const STEP_ICONS = {
    passed: '✅ passed',
    failed: '❌ failed',
    error: '❌ error',
    inconclusive: '⚠️ inconclusive',
    cancelled: '⏹️ cancelled',
    stopped: '⏹️ stopped'
};
function rateCell(measure) {
    return measure ? `${(0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPercent */ .l9)((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(measure))} (${measure.errors}/${measure.samples})` : '–';
}
function latencyCell(measure) {
    if (!measure || (measure.p50Ms === null && measure.p95Ms === null))
        return '–';
    const show = (ms) => (ms === null ? '–' : (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(ms));
    return `${show(measure.p50Ms)} / ${show(measure.p95Ms)}`;
}
function elapsed(fromIso, toIso) {
    return (0,_deploy_actions_inputs__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(Math.max(0, Date.parse(toIso) - Date.parse(fromIso)));
}
/** `1:30` since the shift started: the chart's x axis. */
function clock(fromMs, atIso) {
    const seconds = Math.max(0, Math.round((Date.parse(atIso) - fromMs) / 1000));
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
function windowMeasure(window, source, version) {
    const measure = window.measures.find((m) => m.source === source);
    return measure && !('error' in measure) ? measure[version] : undefined;
}
/**
 * Traffic share as bars and both error rates as lines, one point per window (a step with no window
 * shows as one point at its start). xychart-beta has no legend: the caption under it says which is which.
 */
function renderChart(outcome, context) {
    if (outcome.steps.length === 0)
        return '';
    const start = Date.parse(outcome.steps[0].startedAt);
    const labels = [];
    const traffic = [];
    const canaryRates = [];
    const stableRates = [];
    for (const step of outcome.steps) {
        const source = primarySource(step, context.metrics);
        const points = step.windows.length > 0 ? step.windows : [undefined];
        for (const window of points) {
            labels.push(clock(start, window?.end ?? step.endedAt ?? step.startedAt));
            traffic.push(step.percentage);
            const canary = window ? windowMeasure(window, source, 'canary') : undefined;
            const stable = window ? windowMeasure(window, source, 'stable') : undefined;
            canaryRates.push(canary ? Number((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(canary).toFixed(2)) : 0);
            stableRates.push(stable ? Number((0,_judge_js__WEBPACK_IMPORTED_MODULE_2__/* .errorRate */ .zi)(stable).toFixed(2)) : 0);
        }
    }
    return [
        '```mermaid',
        'xychart-beta',
        '  title "Canary traffic and error rates"',
        `  x-axis "time since the shift started (m:ss)" [${labels.map((l) => JSON.stringify(l)).join(', ')}]`,
        '  y-axis "percent" 0 --> 100',
        `  bar [${traffic.join(', ')}]`,
        `  line [${canaryRates.join(', ')}]`,
        `  line [${stableRates.join(', ')}]`,
        '```',
        '',
        `Bars: the canary's share of the traffic. Lines: the canary's error rate (first) and stable's (second), per analysis window, in percent.`
    ].join('\n');
}
function renderSummary(outcome, context, masker) {
    const text = (value) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .cell */ .Hn)(masker.mask(value));
    const canary = (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(masker.mask(context.canary));
    const stable = (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(masker.mask(context.stable));
    const lines = [];
    const headings = {
        promoted: `## ✅ Canary promoted: ${canary} serves 100 %`,
        'rolled-back': `## ❌ Canary rolled back: ${stable} serves 100 % again`,
        inconclusive: `## ⚠️ Canary inconclusive, rolled back: ${stable} serves 100 % again`,
        stopped: `## ⏹️ Canary shift stopped at ${outcome.finalPercentage} %`
    };
    lines.push(headings[outcome.result], '');
    if (outcome.restoreError)
        lines.push(`**Stable could not be restored:** ${text(outcome.restoreError)}`, '');
    const failed = outcome.failedStep === undefined ? undefined : outcome.steps[outcome.failedStep];
    if (failed) {
        lines.push(`### Why: the ${failed.percentage} % step ${failed.verdict === 'inconclusive' ? 'was inconclusive' : failed.verdict === 'stopped' ? 'was stopped' : failed.verdict === 'cancelled' ? 'was cancelled' : 'failed'}`, '');
        const window = failed.windows.at(-1);
        if (window && window.verdict !== 'passed') {
            // The window says why, reason by reason; the outcome's one line would say it again.
            lines.push(`In the window ${window.start} – ${window.end}:`, '');
            for (const reason of window.reasons)
                lines.push(`- ${text(reason)}`);
            lines.push('');
        }
        else {
            lines.push(text(outcome.reason), '');
        }
        if (outcome.changedBy)
            lines.push(`Someone else's ${text((0,_split_js__WEBPACK_IMPORTED_MODULE_4__/* .describeDeployment */ .Ti)(outcome.changedBy))}. Nothing was changed over it.`, '');
    }
    lines.push(`Canary ${canary} against stable ${stable}, judged on ${context.metrics.map((m) => (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(m)).join(' and ')}.`, '');
    lines.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Step', 'Verdict', 'Duration', 'Canary errors', 'Canary p50 / p95', 'Stable errors', 'Stable p50 / p95', 'Why'], outcome.steps.map((step) => {
        const source = primarySource(step, context.metrics);
        const c = (0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'canary');
        const s = (0,_shift_js__WEBPACK_IMPORTED_MODULE_3__/* .stepTotals */ .Oc)(step, source, 'stable');
        return [`${step.percentage} %`, STEP_ICONS[step.verdict], step.endedAt ? elapsed(step.startedAt, step.endedAt) : '–', rateCell(c), latencyCell(c), rateCell(s), latencyCell(s), text(step.reason)];
    })), '');
    const chart = renderChart(outcome, context);
    if (chart)
        lines.push(chart, '');
    for (const step of outcome.steps.filter((s) => s.windows.length > 0)) {
        lines.push(`<details><summary>${step.percentage} % step: ${step.windows.length} ${step.windows.length === 1 ? 'window' : 'windows'}</summary>`, '');
        const rows = step.windows.flatMap((w, i) => w.measures.map((m) => {
            const values = 'error' in m ? ['–', '–', '–', '–'] : [rateCell(m.canary), latencyCell(m.canary), rateCell(m.stable), latencyCell(m.stable)];
            return [String(i + 1), (0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .codeSpan */ .SS)(m.source, { inTable: true }), w.verdict, ...values, text(w.reasons.filter((r) => r.startsWith(`${m.source}:`)).join('; '))];
        }));
        lines.push((0,_deploy_actions_report__WEBPACK_IMPORTED_MODULE_1__/* .table */ .tp)(['Window', 'Source', 'Verdict', 'Canary errors', 'Canary p50 / p95', 'Stable errors', 'Stable p50 / p95', 'Why'], rows), '', '</details>', '');
    }
    return lines.join('\n');
}


/***/ }),

/***/ 2994:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $f: () => (/* binding */ githubClient)
/* harmony export */ });
/* unused harmony exports DELAYS_ENV, isIssueCreation, isCommentCreation */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9584);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6856);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3251);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2__);
// The one way the actions talk to GitHub's REST API: @actions/github's octokit with octokit's
// throttling and retry plugins. Rate limits (primary and secondary) are waited out when the wait is
// short, other failures retried with the retry plugin's backoff, except a POST that creates an issue
// or a comment: a 5xx there may come after GitHub did create it, so the call fails instead and the
// caller looks before creating again.





/** The environment variable `delays` defaults from. */
const DELAYS_ENV = 'DEPLOY_ACTIONS_GITHUB_DELAYS';
const DEFAULT_API_URL = 'https://api.github.com';
function githubClient(options) {
    const { token } = options;
    if (token.trim() === '')
        throw new Error('a GitHub token is required');
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(token);
    const retries = options.retries ?? 3;
    const maxWait = options.maxRateLimitWaitSeconds ?? 60;
    const delays = options.delays ?? process.env[DELAYS_ENV] !== 'off';
    const baseUrl = (options.baseUrl ?? (process.env.GITHUB_API_URL || DEFAULT_API_URL)).replace(/\/+$/, '');
    const onLimit = (what) => (retryAfter, request, _octokit, retryCount) => {
        const call = `${request.method} ${request.url}`;
        if (retryCount >= retries) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`GitHub's ${what} stopped ${call} ${retryCount + 1} times; giving up.`);
            return false;
        }
        if (retryAfter > maxWait) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`GitHub's ${what} stopped ${call}; it lifts in ${retryAfter} s, longer than the ${maxWait} s this step waits.`);
            return false;
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`GitHub's ${what} stopped ${call}; trying again in ${delays ? retryAfter : 0} s.`);
        return true;
    };
    // The throttling plugin's pacing lives in Bottleneck groups it shares across clients; a client
    // without delays gets its own, with the same one-at-a-time writes and no minimum gap.
    const unpaced = () => new (bottleneck_light_js__WEBPACK_IMPORTED_MODULE_2___default().Group)({ maxConcurrent: 1, minTime: 0 });
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, {
        baseUrl,
        userAgent: options.userAgent ?? 'deploy-actions',
        log: { debug: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message), info: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(message), warn: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(message), error: (message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .error */ .z3(message) },
        throttle: {
            onRateLimit: onLimit('rate limit'),
            onSecondaryRateLimit: onLimit('secondary rate limit'),
            ...(delays ? {} : { retryAfterBaseValue: 0, write: unpaced(), notifications: unpaced(), search: unpaced() })
        },
        retry: { retries, ...(delays ? {} : { retryAfterBaseValue: 0 }) }
    }, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__/* .throttling */ .A, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L);
    octokit.hook.before('request', (request) => {
        if (isIssueCreation(request.method, request.url) || isCommentCreation(request.method, request.url))
            request.request = { ...request.request, retries: 0 };
    });
    return octokit;
}
/** POST /repos/{owner}/{repo}/issues, as a route template or a path, under any API root. */
function isIssueCreation(method, url) {
    return method.toUpperCase() === 'POST' && /^(?:\/api\/v3)?\/repos\/[^/]+\/[^/]+\/issues\/?$/.test(pathOf(url));
}
/** POST /repos/{owner}/{repo}/issues/{issue_number}/comments, as a route template or a path, under any API root. */
function isCommentCreation(method, url) {
    return method.toUpperCase() === 'POST' && /^(?:\/api\/v3)?\/repos\/[^/]+\/[^/]+\/issues\/[^/]+\/comments\/?$/.test(pathOf(url));
}
function pathOf(url) {
    return url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
}


/***/ }),

/***/ 3345:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vp: () => (/* binding */ runUrl),
/* harmony export */   Yk: () => (/* binding */ runRepository),
/* harmony export */   dj: () => (/* binding */ recordDeployment),
/* harmony export */   e9: () => (/* binding */ setDeploymentStatus)
/* harmony export */ });
/* unused harmony exports MAX_STATUS_DESCRIPTION, statusDescription, findLastKnownGood, readPayload */
// GitHub deployment records for what the actions put live, and the last known good version read back
// from them.
//
// A record is a GitHub deployment of the commit that was deployed, carrying in its payload the
// provider, the worker and the version id (and, for a rollback, what it rolled back from and why),
// with statuses in_progress → success | failure | inactive. GitHub's auto_inactive marks earlier
// successful deployments of a non-production environment inactive when a new one succeeds, so a
// deployment whose statuses end in success, inactive was good and then replaced: it counts as good.
// A failure is never good, and marks its version bad for the older records too, as does a rollback
// away from it: a version rolled back from is not offered again because it once succeeded. An error
// (a deploy stopped or cut short) is not good either, but says nothing of the version.
/** GitHub keeps 140 characters of a status description. */
const MAX_STATUS_DESCRIPTION = 140;
/**
 * Creates the deployment and its in_progress status (two calls). The deployment is a record of what
 * the step does, not a request for one: no auto-merge of the default branch into the ref, and no
 * commit status checks (a rollback deploys an older commit whose checks may be long gone).
 */
async function recordDeployment(client, options) {
    const { repository, environment, sha, payload } = options;
    const description = statusDescription(options.description ?? `${payload.worker} ${payload.versionId}`);
    const created = await client.rest.repos.createDeployment({
        ...repository,
        ref: sha,
        environment,
        payload: { ...payload },
        auto_merge: false,
        required_contexts: [],
        description,
        transient_environment: options.transient ?? false,
        ...(options.production === undefined ? {} : { production_environment: options.production })
    });
    // 202 is GitHub's answer when it merged the default branch instead; auto_merge is off, so only a 201 comes back.
    if (created.status !== 201 || !('id' in created.data))
        throw new Error(`GitHub did not create the deployment: ${created.status} ${JSON.stringify(created.data)}`);
    const recorded = {
        repository,
        id: created.data.id,
        environment: created.data.environment,
        sha: created.data.sha,
        payload,
        createdAt: created.data.created_at,
        ...(options.environmentUrl === undefined ? {} : { environmentUrl: options.environmentUrl }),
        ...(options.logUrl === undefined ? {} : { logUrl: options.logUrl })
    };
    await setDeploymentStatus(client, recorded, 'in_progress', description);
    return recorded;
}
/**
 * Adds a status to a record (one call). Only a success lets GitHub mark the environment's earlier
 * successful deployments inactive: a failure must not take the one still serving off the page.
 */
async function setDeploymentStatus(client, deployment, state, description = '') {
    await client.rest.repos.createDeploymentStatus({
        ...deployment.repository,
        deployment_id: deployment.id,
        state,
        description: statusDescription(description),
        ...(deployment.logUrl ? { log_url: deployment.logUrl } : {}),
        ...(deployment.environmentUrl ? { environment_url: deployment.environmentUrl } : {}),
        auto_inactive: state === 'success'
    });
}
/** One line, cut to GitHub's 140 characters (code points, as GitHub counts them) with an ellipsis. */
function statusDescription(text) {
    const line = [...text.replace(/\s+/g, ' ').trim()];
    return line.length <= MAX_STATUS_DESCRIPTION ? line.join('') : `${line.slice(0, MAX_STATUS_DESCRIPTION - 1).join('')}…`;
}
const PAGE_SIZE = 100;
/**
 * The last known good version of a worker in an environment: pages through the environment's
 * deployments newest first (100 a call) and, only for records that pass the free checks (worker,
 * provider, not the current version, a version not already found bad, deployable), reads the newest
 * two statuses in one call each. Stops at the first good one.
 */
async function findLastKnownGood(client, options) {
    const { repository, environment, worker, provider } = options;
    const limit = options.limit ?? 300;
    const result = { skipped: [], examined: 0, calls: 0 };
    /** Versions found bad in a newer record (a failure, or a rollback away from them), with why. */
    const badVersions = new Map();
    const deployable = new Map();
    let currentVersionId = options.currentVersionId ?? undefined;
    /** Nothing said what serves now: the newest good record is taken to. */
    let lookingForCurrent = options.currentVersionId === undefined;
    const skip = (id, reason, versionId) => result.skipped.push({ id, ...(versionId === undefined ? {} : { versionId }), reason });
    const isDeployable = async (versionId) => {
        if (!deployable.has(versionId))
            deployable.set(versionId, await options.isDeployable(versionId));
        return deployable.get(versionId);
    };
    const pages = client.paginate.iterator(client.rest.repos.listDeployments, { ...repository, environment, per_page: PAGE_SIZE });
    for await (const page of pages) {
        result.calls += 1;
        for (const deployment of page.data) {
            if (result.examined >= limit)
                return result;
            result.examined += 1;
            const payload = readPayload(deployment.payload);
            if (!payload) {
                skip(deployment.id, 'not a deploy-actions record (no provider, worker and version id in its payload)');
                continue;
            }
            const { versionId } = payload;
            // GitHub filters by the environment's name as it is now; a status may have moved a record.
            if (deployment.environment !== environment) {
                skip(deployment.id, `now in environment ${deployment.environment}`, versionId);
                continue;
            }
            if (payload.worker !== worker) {
                skip(deployment.id, `another worker (${payload.worker})`, versionId);
                continue;
            }
            if (provider !== undefined && payload.provider !== provider) {
                skip(deployment.id, `another provider (${payload.provider})`, versionId);
                continue;
            }
            const record = { id: deployment.id, sha: deployment.sha, environment: deployment.environment, payload, createdAt: deployment.created_at };
            // A rollback away from a version judges it, whatever became of the rollback itself.
            const left = payload.rolledBackFrom?.versionId;
            if (left && left !== versionId && !badVersions.has(left))
                badVersions.set(left, `a later rollback (deployment ${deployment.id}) left its version`);
            if (versionId === currentVersionId) {
                result.current ??= record;
                skip(deployment.id, 'the version serving now', versionId);
                continue;
            }
            const bad = badVersions.get(versionId);
            if (bad !== undefined) {
                skip(deployment.id, bad, versionId);
                continue;
            }
            // Asked before the status read only once no good record can be the current one.
            if (!lookingForCurrent && !(await isDeployable(versionId))) {
                skip(deployment.id, 'its version can no longer be deployed', versionId);
                continue;
            }
            const statuses = await client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: deployment.id, per_page: 2 });
            result.calls += 1;
            const [latest, before] = statuses.data;
            const good = latest?.state === 'success' || (latest?.state === 'inactive' && before?.state === 'success');
            if (latest) {
                // A record GitHub marked inactive keeps its success's description and links.
                const telling = latest.state === 'inactive' && good ? before : latest;
                Object.assign(record, { state: latest.state, description: telling.description ?? '' });
                if (telling.environment_url)
                    record.environmentUrl = telling.environment_url;
                if (telling.log_url)
                    record.logUrl = telling.log_url;
            }
            if (!good) {
                // An error is the deploy's own trouble (stopped, cut short), not a verdict on the version.
                if (latest?.state === 'failure')
                    badVersions.set(versionId, `its version failed later (deployment ${deployment.id})`);
                skip(deployment.id, latest ? `its latest status is ${latest.state}${latest.state === 'inactive' ? ' without a success before it' : ''}` : 'it has no status', versionId);
                continue;
            }
            if (lookingForCurrent) {
                lookingForCurrent = false;
                currentVersionId = versionId;
                result.current = record;
                skip(deployment.id, 'the version serving now', versionId);
                continue;
            }
            if (!(await isDeployable(versionId))) {
                skip(deployment.id, 'its version can no longer be deployed', versionId);
                continue;
            }
            result.found = record;
            return result;
        }
    }
    return result;
}
/** The payload of a record this package wrote (an object, or GitHub's JSON text of one), else undefined. */
function readPayload(payload) {
    let value = payload;
    if (typeof value === 'string') {
        try {
            value = JSON.parse(value);
        }
        catch {
            return undefined;
        }
    }
    if (typeof value !== 'object' || value === null)
        return undefined;
    const { provider, worker, versionId } = value;
    if (typeof provider !== 'string' || typeof worker !== 'string' || typeof versionId !== 'string' || versionId === '')
        return undefined;
    return value;
}
/** The repository this run belongs to (GITHUB_REPOSITORY), if the runner said. */
function runRepository(env = process.env) {
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    return owner && repo && rest.length === 0 ? { owner, repo } : undefined;
}
/** This run's page, at its attempt when known: what a record's log_url points at. */
function runUrl(env = process.env) {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: run, GITHUB_RUN_ATTEMPT: attempt } = env;
    if (!server || !repository || !run)
        return undefined;
    return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}${attempt ? `/attempts/${attempt}` : ''}`;
}


/***/ })

};
