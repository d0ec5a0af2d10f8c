import { describe, expect, it } from '@jest/globals';
import { parseBlockYaml } from './block-yaml.js';
import { parseManifests, parseWithJsYaml, resolvePlainScalar } from './parse.js';

const fast = (text: string) => parseBlockYaml(text, resolvePlainScalar);

/** What js-yaml makes of the text (documents, or the message it refuses it with). */
function jsYaml(text: string): { docs?: unknown[]; error?: string } {
  try {
    return { docs: parseWithJsYaml(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The fast reader took the text and yields exactly js-yaml's values, key order included. */
function expectSameAsJsYaml(text: string): void {
  const got = fast(text);
  const want = jsYaml(text);
  expect(want.error).toBeUndefined();
  expect(got).toBeDefined();
  expect(got).toStrictEqual(want.docs);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want.docs));
}

/** What `kubectl get pods,services -o yaml` prints (a List, managedFields shown), trimmed to one of each. */
const KUBECTL_LIST = `apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web-0","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.25","name":"web","ports":[{"containerPort":80}]}]}}
    creationTimestamp: "2024-05-01T10:00:00Z"
    labels:
      app: web
      pod-template-hash: 7d4b9c8f5d
    managedFields:
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1:
        f:metadata:
          f:annotations:
            .: {}
            f:kubectl.kubernetes.io/last-applied-configuration: {}
          f:labels:
            .: {}
            f:app: {}
        f:spec:
          f:containers:
            k:{"name":"web"}:
              .: {}
              f:image: {}
              f:ports:
                .: {}
                k:{"containerPort":80,"protocol":"TCP"}:
                  .: {}
                  f:containerPort: {}
      manager: kubectl-client-side-apply
      operation: Update
      time: "2024-05-01T10:00:00Z"
    - apiVersion: v1
      fieldsType: FieldsV1
      fieldsV1:
        f:status:
          f:conditions:
            k:{"type":"Ready"}:
              .: {}
              f:status: {}
          f:podIPs:
            .: {}
            k:{"ip":"10.244.1.5"}:
              .: {}
              f:ip: {}
      manager: kubelet
      operation: Update
      subresource: status
      time: "2024-05-01T10:00:03Z"
    name: web-0
    namespace: default
    resourceVersion: "1234"
    uid: 0f6c1b7e-2a51-4c1b-9d35-7a3d2f1e8b90
  spec:
    containers:
    - args:
      - --port=80
      - --log-level
      - info
      command:
      - /bin/sh
      - -c
      env:
      - name: GREETING
        value: 'it''s "quoted"'
      - name: EMPTY
        value: ""
      - name: ESCAPED
        value: "tab\\there\\nnewline \\u00e9 \\x41 \\\\ \\" \\/"
      image: nginx:1.25
      imagePullPolicy: IfNotPresent
      name: web
      ports:
      - containerPort: 80
        name: http
        protocol: TCP
      readinessProbe:
        httpGet:
          path: /healthz
          port: 8080
          scheme: HTTP
        periodSeconds: 10
      resources: {}
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      terminationMessagePath: /dev/termination-log
      volumeMounts:
      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
        name: kube-api-access-abcde
        readOnly: true
    dnsPolicy: ClusterFirst
    enableServiceLinks: true
    nodeName: worker-1
    preemptionPolicy: PreemptLowerPriority
    priority: 0
    restartPolicy: Always
    tolerations:
    - effect: NoExecute
      key: node.kubernetes.io/not-ready
      operator: Exists
      tolerationSeconds: 300
    volumes:
    - name: kube-api-access-abcde
      projected:
        defaultMode: 420
        sources:
        - serviceAccountToken:
            expirationSeconds: 3607
            path: token
        - configMap:
            items:
            - key: ca.crt
              path: ca.crt
            name: kube-root-ca.crt
  status:
    conditions:
    - lastProbeTime: null
      lastTransitionTime: "2024-05-01T10:00:03Z"
      status: "True"
      type: Ready
    hostIP: 172.18.0.3
    phase: Running
    podIP: 10.244.1.5
    podIPs:
    - ip: 10.244.1.5
    qosClass: BestEffort
    startTime: "2024-05-01T10:00:00Z"
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: default
  spec:
    clusterIP: 10.96.12.34
    clusterIPs:
    - 10.96.12.34
    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: http
      nodePort: 30080
      port: 80
      protocol: TCP
      targetPort: http
    selector:
      app: web
    sessionAffinity: None
    type: NodePort
  status:
    loadBalancer: {}
kind: List
metadata:
  resourceVersion: ""
`;

describe('parseBlockYaml: the block-style YAML kubectl prints, value for value as js-yaml', () => {
  it('a kubectl List with managedFields, a last-applied annotation, quoted and escaped strings', () => {
    expectSameAsJsYaml(KUBECTL_LIST);
  });

  it.each([
    { name: 'one mapping', text: 'a: b\nc: d\n' },
    { name: 'no final line feed', text: 'a: b\nc:\n  d: e' },
    { name: 'several documents', text: '---\na: 1\n---\nb: 2\n---\n' },
    { name: 'separators with trailing spaces', text: '--- \na: 1\n---   \nb: 2\n' },
    { name: 'empty and comment-only documents', text: '---\n# only a comment\n---\n\n---\na: 1\n' },
    {
      name: 'comments everywhere a line may hold one',
      text: '# head\na: 1 # trailing\n# between\nb:\n  # inside\n  c: x#notacomment # but this is\nd: [a, b] # flow\ne: "q" # quoted\nf: {} # empty\n',
    },
    { name: 'a comment after a key with no value', text: 'a: # nothing yet\n  b: 1\n' },
    { name: 'blank lines', text: 'a: 1\n\n\nb:\n\n  c: 2\n\n' },
    { name: 'whitespace-only lines between entries', text: 'a: 1\n   \nb: 2\n' },
    { name: 'nested mappings, four-space indentation', text: 'a:\n    b:\n        c: d\n    e: f\n' },
    { name: 'a sequence at its key’s column (kubectl)', text: 'a:\n- x\n- y\nb: z\n' },
    { name: 'a sequence indented under its key', text: 'a:\n  - x\n  - y\nb: z\n' },
    { name: 'mappings in a sequence', text: 'a:\n- n: 1\n  m: 2\n- n: 3\n' },
    { name: 'extra spaces after the dash', text: 'a:\n-   n: 1\n    m: 2\n-   x\n' },
    { name: 'a dash alone then a mapping', text: 'a:\n-\n  n: 1\n- \n  n: 2\n' },
    { name: 'a dash alone with nothing: null', text: 'a:\n-\n- x\n' },
    { name: 'a sequence in a mapping in a sequence', text: 'a:\n- ports:\n  - 80\n  - 443\n  name: x\n' },
    { name: 'a key with no value: null', text: 'a:\nb: 1\nc:\n' },
    { name: 'the core schema: null', text: 'a: null\nb: Null\nc: NULL\nd: ~\ne: nulls\n' },
    {
      name: 'the core schema: booleans',
      text: 'a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: yes\nh: on\ni: tRue\n',
    },
    {
      name: 'the core schema: integers',
      text: 'a: 0\nb: -12\nc: +7\nd: 0x1F\ne: 0o17\nf: 0b101\ng: 1_000\nh: 012\ni: 99999999999999999999\nj: -0\n',
    },
    {
      name: 'the core schema: floats',
      text: 'a: 1.5\nb: -0.5\nc: 1e3\nd: .5\ne: .inf\nf: -.Inf\ng: .NaN\nh: 1.\ni: 6.8523015e+5\n',
    },
    {
      name: 'strings that look almost like other types',
      text: 'a: 10.244.0.1\nb: 1.2.3\nc: 0x\nd: 1_\ne: +\nf: .\ng: 12:30\nh: 2024-05-01T10:00:00Z\ni: 2024-05-01\n',
    },
    { name: 'quoted scalars stay strings', text: 'a: "1"\nb: \'true\'\nc: "null"\nd: \'\'\ne: ""\nf: "~"\n' },
    { name: 'single quotes', text: "a: 'it''s'\nb: 'a # b'\nc: 'x: y'\nd: '''edge'''\n" },
    {
      name: 'double-quoted escapes',
      text: 'a: "\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\"\\/\\\\\\N\\_\\L\\P"\nb: "\\x41\\u00e9\\u2603"\nc: "a # b"\n',
    },
    {
      name: 'plain scalars with indicators inside',
      text: 'a: nginx:1.25\nb: http://x/y?z=1#frag\nc: a,b[c]{d}\nd: x"y"\ne: it\'s\nf: -x\ng: --flag=1\nh: a - b\ni: 50%\n',
    },
    { name: 'trailing spaces after values', text: 'a: b   \nc: "d"   \ne: [f]   \n' },
    {
      name: 'flow sequences of plain scalars',
      text: 'a: []\nb: [x]\nc: [x, y, z]\nd: [ 1, two , 3.5, true, null ]\ne: [a b, c]\n',
    },
    { name: 'empty flow mapping', text: 'a: {}\nb:\n- {}\n' },
    {
      name: 'literal block scalars',
      text: 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  stripped\nc: |+\n  kept\n\nd: x\n',
    },
    { name: 'a literal block scalar at the end of the text', text: 'a: |\n  x\n  y' },
    { name: 'a literal block scalar with trailing empty lines (clip)', text: 'a: |\n  x\n\n\nb: 1\n' },
    { name: 'a literal block scalar with trailing empty lines (keep)', text: 'a: |+\n  x\n\n\nb: 1\n' },
    { name: 'a literal block scalar in a sequence', text: 'a:\n- |\n  x\n  y\n- z\n' },
    {
      name: 'a literal block scalar holding YAML-looking lines',
      text: 'a: |\n  b: c\n  - d\n  # e\n  ---x\n',
    },
    {
      name: 'keys Kubernetes uses',
      text: 'app.kubernetes.io/name: x\nk:{"a":"b"}: 1\nf:spec: 2\n.: {}\n_x: 3\n/p: 4\na::b: 5\n',
    },
    { name: 'keys that resolve to themselves', text: 'nil: 1\nnope: 2\ntrusty: 3\n.x: 4\nfalsy: 5\n' },
    { name: 'a document marker-like value', text: 'a: ---x\nb: ...\n' },
    { name: 'a line of four dashes is content', text: 'a: |\n  ----\n' },
    { name: 'non-ASCII text', text: 'a: héllo wörld ✓\nb: "ünïcode"\nc: |\n  日本語\n' },
  ])('$name', ({ text }) => {
    expectSameAsJsYaml(text);
  });
});

describe('parseBlockYaml: anything outside the subset is left to js-yaml', () => {
  it.each([
    { name: 'an anchor', text: 'a: &x 1\nb: 2\n' },
    { name: 'an alias', text: 'a: 1\nb: *x\n' },
    { name: 'an anchored mapping', text: 'a: &x\n  b: 1\n' },
    { name: 'a tag', text: 'a: !!str 1\n' },
    { name: 'a local tag', text: 'a: !foo bar\n' },
    { name: 'a merge key', text: 'a:\n  b: 1\nc:\n  <<: {b: 2}\n' },
    { name: 'a directive', text: '%YAML 1.2\n---\na: 1\n' },
    { name: 'a document end marker', text: 'a: 1\n...\n' },
    { name: 'content on the separator line', text: '--- a: 1\n' },
    { name: 'a comment on the separator line', text: '--- # c\na: 1\n' },
    { name: 'a flow mapping', text: 'a: {b: 1}\n' },
    { name: 'a flow mapping with spaces', text: 'a: { }\n' },
    { name: 'nested flow collections', text: 'a: [[1], 2]\n' },
    { name: 'quotes in a flow sequence', text: 'a: ["x", y]\n' },
    { name: 'a multi-line flow sequence', text: 'a: [x,\n  y]\n' },
    { name: 'a trailing comma in a flow sequence', text: 'a: [x, ]\n' },
    { name: 'a key in a flow sequence', text: 'a: [x: y]\n' },
    { name: 'a folded block scalar', text: 'a: >\n  x\n  y\n' },
    { name: 'an indentation indicator', text: 'a: |2\n   x\n' },
    { name: 'a comment after a block scalar header', text: 'a: | # c\n  x\n' },
    { name: 'an empty block scalar', text: 'a: |\nb: 1\n' },
    { name: 'leading empty lines in a block scalar', text: 'a: |\n\n  x\n' },
    { name: 'a spaces-only line in a block scalar', text: 'a: |\n  x\n     \n  y\n' },
    { name: 'a block scalar less indented than its key', text: 'a:\n  b: |\n  x\n' },
    { name: 'a multi-line plain scalar', text: 'a: one\n  two\n' },
    { name: 'a multi-line plain scalar after blank lines', text: 'a: one\n\n  two\nb: 1\n' },
    { name: 'a multi-line plain scalar in a sequence', text: 'a:\n- one\n  two\n' },
    { name: 'a plain scalar on the line after its key', text: 'a:\n  one\n' },
    { name: 'a multi-line double-quoted scalar', text: 'a: "one\n  two"\n' },
    { name: 'a line continuation in double quotes', text: 'a: "one\\\n  two"\n' },
    { name: 'a multi-line single-quoted scalar', text: "a: 'one\n  two'\n" },
    { name: 'a long escape', text: 'a: "\\U0001F600"\n' },
    { name: 'an unknown escape', text: 'a: "\\q"\n' },
    { name: 'text after a quoted scalar', text: 'a: "x" y\n' },
    { name: 'a quoted key', text: '"a": 1\n' },
    { name: 'a single-quoted key', text: "'a': 1\n" },
    { name: 'an explicit key', text: '? a\n: 1\n' },
    { name: 'a key with a space', text: 'a b: 1\n' },
    { name: 'a space before the colon', text: 'a : 1\n' },
    { name: 'a numeric key', text: '80: http\n' },
    { name: 'a boolean key', text: 'true: 1\n' },
    { name: 'a null key', text: 'null: 1\n' },
    { name: 'a float key', text: '1.5: x\n' },
    { name: 'a __proto__ key', text: '__proto__: 1\n' },
    { name: 'a duplicate key', text: 'a: 1\nb: 2\na: 3\n' },
    { name: 'a duplicate key in a nested mapping', text: 'x:\n  a: 1\n  a: 2\n' },
    { name: 'a top-level sequence', text: '- a\n- b\n' },
    { name: 'a top-level scalar', text: 'hello\n' },
    { name: 'an indented top-level mapping', text: '  a: 1\n  b: 2\n' },
    { name: 'a nested sequence on one line', text: 'a:\n- - x\n' },
    { name: 'a sequence as a plain value', text: 'a: - x\n' },
    { name: 'a mapping value on the key line', text: 'a: b: c\n' },
    { name: 'a value ending with a colon', text: 'a: b:\n' },
    { name: 'a sequence entry where a key belongs', text: 'a: 1\n- b\n' },
    { name: 'bad indentation', text: 'a:\n    b: 1\n  c: 2\n' },
    { name: 'a more indented line after a scalar', text: 'a: 1\n  b: 2\n' },
    { name: 'a more indented comment after a scalar', text: 'a: 1\n   # c\nb: 2\n' },
    { name: 'a sequence entry misaligned', text: 'a:\n  - x\n - y\n' },
    { name: 'a tab', text: 'a:\n\tb: 1\n' },
    { name: 'a tab in a value', text: 'a: x\ty\n' },
    { name: 'CR LF line ends', text: 'a: 1\r\nb: 2\r\n' },
    { name: 'a byte-order mark', text: '\uFEFFa: 1\n' },
    { name: 'a non-printable character', text: 'a: x\u0007y\n' },
    { name: 'a NUL byte', text: 'a: x\u0000\n' },
    { name: 'a lone surrogate', text: 'a: x\uD800y\n' },
    { name: 'a reserved indicator', text: 'a: @x\n' },
    { name: 'a backquote', text: 'a: `x`\n' },
    {
      name: 'nesting deeper than the reader goes',
      text: Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n',
    },
  ])('$name', ({ text }) => {
    expect(fast(text)).toBeUndefined();
    // And the public path answers exactly what js-yaml answers.
    const want = jsYaml(text);
    if (want.error !== undefined) {
      expect(() => parseManifests(text)).toThrow(want.error);
    } else {
      expect(parseManifests(text).map((d) => d.raw)).toStrictEqual(want.docs);
    }
  });
});

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseBlockYaml never disagrees with js-yaml', () => {
  // Mutations of kubectl output: each text is either read exactly as js-yaml reads it or given up on,
  // and text js-yaml refuses is always given up on.
  const TOKENS = [
    ' ',
    '  ',
    '\n',
    '- ',
    ': ',
    ':',
    '#',
    ' #',
    '"',
    "'",
    '|',
    '|-',
    '>',
    '[',
    ']',
    '{',
    '}',
    ',',
    '&a ',
    '*a',
    '!',
    '---\n',
    '...',
    '\\',
    '?',
    '~',
    '0',
    '1.5',
    'true',
    'null',
    '\t',
    '<<: ',
    'x',
  ];
  it('on 4,000 mutations of a kubectl List', () => {
    const next = rng(20261124);
    const lines = KUBECTL_LIST.split('\n');
    let taken = 0;
    for (let n = 0; n < 4000; n++) {
      const mutated = [...lines];
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * mutated.length);
        const line = mutated[at]!;
        const kind = next();
        if (kind < 0.4) {
          const col = Math.floor(next() * (line.length + 1));
          const tok = TOKENS[Math.floor(next() * TOKENS.length)]!;
          mutated[at] = line.slice(0, col) + tok + line.slice(col);
        } else if (kind < 0.6) {
          const col = Math.floor(next() * line.length);
          mutated[at] = line.slice(0, col) + line.slice(col + 1);
        } else if (kind < 0.8) {
          mutated[at] = (next() < 0.5 ? ' ' : '') + line.replace(/^ {1,2}/, next() < 0.5 ? '' : ' ');
        } else {
          mutated.splice(at, 0, line);
        }
      }
      const text = mutated.join('\n');
      const got = fast(text);
      if (got === undefined) continue;
      taken++;
      const want = jsYaml(text);
      if (want.error !== undefined)
        throw new Error(`fast reader accepted what js-yaml refuses (${want.error}):\n${text}`);
      expect(JSON.stringify(got)).toBe(JSON.stringify(want.docs));
      expect(got).toStrictEqual(want.docs);
    }
    // The property is only worth something if the fast reader took a fair share of the texts.
    expect(taken).toBeGreaterThan(400);
  });
});
