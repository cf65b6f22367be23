import { it } from '@jest/globals';
import { loadSpec } from '../../actions/smoke-test/src/spec.js';
const cases: Record<string,string> = {
unknownTop: `tests:\n  - name: a\n    request: { url: /x }\nbase_url: http://x\n`,
unknownInTest: `tests:\n  - name: a\n    request: { url: /x }\n    expct: { status: 200 }\n`,
unknownInExpect: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      status: 200\n      bodycontains: x\n`,
unknownJsonCheck: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      json:\n        $.a: { equal: 1 }\n`,
wrongRetries: `tests:\n  - name: a\n    retries: three\n    request: { url: /x }\n`,
wrongStatus: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      status: ok\n`,
wrongDuration: `defaults:\n  timeout: 5 seconds\ntests:\n  - name: a\n    request: { url: /x }\n`,
wrongUrlType: `tests:\n  - name: a\n    request:\n      url: 42\n`,
wrongHeaders: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      headers:\n        x: 1\n`,
missingRequest: `tests:\n  - name: a\n    expect: { status: 200 }\n`,
dup: `tests:\n  - name: a\n    request: { url: /x }\n  - name: b\n    request: { url: /x }\n  - name: a\n    request: { url: /y }\n`,
unknownNeed: `tests:\n  - name: a\n    request: { url: /x }\n  - name: b\n    needs: [a, c]\n    request: { url: /x }\n`,
unknownNeedBlock: `tests:\n  - name: a\n    request: { url: /x }\n  - name: b\n    needs:\n      - a\n      - c\n    request: { url: /x }\n`,
self: `tests:\n  - name: a\n    needs: [a]\n    request: { url: /x }\n`,
cycle: `tests:\n  - name: a\n    request: { url: /x }\n  - name: b\n    needs: [c]\n    request: { url: /x }\n  - name: c\n    needs: [b]\n    request: { url: /x }\n`,
yaml: `tests:\n  - name: a\n    request: { url: /x\n  - name: b\n`,
yaml2: `tests:\n  - name: a\n    request:\n      url: /x\n     method: GET\n`,
dupKey: `tests:\n  - name: a\n    request: { url: /x }\n    request: { url: /y }\n`,
tabs: `tests:\n\t- name: a\n`,
twoBodies: `tests:\n  - name: a\n    request: { url: /x, json: {a: 1}, body: "x" }\n`,
empty: ``,
notMap: `- a\n- b\n`,
noTests: `tests: []\n`,
capture: `tests:\n  - name: a\n    request: { url: /x }\n    capture:\n      tok: token\n`,
jsonKey: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      json:\n        status: { equals: ok }\n`,
varName: `vars:\n  1x: a\ntests:\n  - name: a\n    request: { url: /x }\n`,
needsDupe: `tests:\n  - name: a\n    request: { url: /x }\n  - name: b\n    needs: [a, a]\n    request: { url: /x }\n`,
lengthNeg: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      json:\n        $.a: { length: -1 }\n`,
emptyCheck: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      json:\n        $.a: {}\n`,
badRegex: `tests:\n  - name: a\n    request: { url: /x }\n    expect:\n      body-regex: "(unclosed"\n`,
nameMulti: `tests:\n  - name: "a\\nb"\n    request: { url: /x }\n`,
statusRange: `tests:\n  - name: a\n    request: { url: /x }\n    expect: { status: 600 }\n`,
anchor: `tests:\n  - &t\n    name: a\n    request: { url: /x }\n  - *t\n`,
};
it('explore', () => {
  for (const [k, text] of Object.entries(cases)) {
    try { const s = loadSpec(text, 'f.yml'); console.log(k, 'OK', JSON.stringify(s)); } catch (e) { console.log(k, (e as Error).name, (e as Error).message, (e as any).line); }
  }
});
