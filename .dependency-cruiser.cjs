// dependency-cruiser: the architecture rules `npm run deps` checks over src/.
// Paths are relative to the repository root; npm packages appear as node_modules/<name>/...

/** The core: decides and remembers; vendor code (Express, Redis, BullMQ, NLP.js) stays out. */
const CORE =
  '^src/(pipeline|policy|answers|nlu|desk|orders|reminders|conversations|catalog|stats|guard|campaigns|outbox|channels)/';
/** Files named for the vendor code they hold: redis-*.ts, *-queue.ts, *-worker.ts, nlpjs-*.ts (and nlpjs.d.ts). */
const VENDOR_FILE = '(^|/)(redis-[^/]*|[^/]*-queue|[^/]*-worker|nlpjs-[^/]*|nlpjs\\.d)\\.ts$';
/** express, ioredis, bullmq and @nlpjs/*, their typings (@types/express) included, resolved or not. */
const VENDOR_PACKAGE =
  '(^|/)node_modules/(@types/)?(express|ioredis|bullmq)/|(^|/)node_modules/@nlpjs/|^(express|ioredis|bullmq|@nlpjs/[^/]+)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that depend on each other, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-no-vendor',
      severity: 'error',
      comment:
        'Express, ioredis, BullMQ and NLP.js are used only in files named for them ' +
        '(redis-*.ts, *-queue.ts, *-worker.ts, nlpjs-*.ts); the rest of the core stays vendor-free.',
      from: { path: CORE, pathNot: VENDOR_FILE },
      to: { path: VENDOR_PACKAGE },
    },
    {
      name: 'no-foreign-store',
      severity: 'error',
      comment:
        "A folder's redis-*.ts store is used by its own folder only; other folders get it handed in " +
        '(wired in src/boot/). The Redis helpers in src/shared/ and the queue plumbing in src/queue/ ' +
        '(dedupe) serve every folder.',
      // $1 is the importing file's top-level folder under src/ (or its name, for a file directly in src/).
      from: { path: '^src/([^/]+)', pathNot: '^src/(boot/|main\\.ts$)' },
      to: {
        path: '^src/.*/redis-[^/]*\\.ts$',
        pathNot: ['^src/$1/', '^src/shared/redis[^/]*\\.ts$', '^src/queue/'],
      },
    },
    {
      name: 'only-boot-wires',
      severity: 'error',
      comment:
        'src/boot/ builds and wires everything; nothing but src/main.ts (and the commands in src/cli/) starts from it.',
      from: { pathNot: '^src/(boot/|main\\.ts$|cli/)' },
      to: { path: '^src/boot/' },
    },
    {
      name: 'express-only-in-http',
      severity: 'error',
      comment: 'src/http/ is the only Express code.',
      from: { pathNot: '^src/http/' },
      to: { path: '(^|/)node_modules/(@types/)?express/|^express$' },
    },
    {
      name: 'shared-is-a-leaf',
      severity: 'error',
      comment: 'src/shared/ holds vocabulary and helpers every folder may use; it uses none of theirs.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    // Allow-lists: a folder added later is outside them until a rule says where it stands.
    {
      name: 'policy-decides-only',
      severity: 'error',
      comment:
        'src/policy/ decides from what it is given (catalog, conversation, reading, order): it renders, stores, sends and queues nothing.',
      from: { path: '^src/policy/' },
      to: { path: '^src/', pathNot: '^src/(policy|catalog|conversations|nlu|orders|shared)/' },
    },
    {
      name: 'answers-render-only',
      severity: 'error',
      comment:
        'src/answers/ renders a decision into text; the stories that use it (pipeline, desk, reminders) sit above it.',
      from: { path: '^src/answers/' },
      to: { path: '^src/', pathNot: '^src/(answers|catalog|nlu|policy|shared)/' },
    },
    {
      name: 'nlu-reads-only',
      severity: 'error',
      comment:
        "src/nlu/ reads a message, with the catalog's words; what is done with the reading is decided above it.",
      from: { path: '^src/nlu/' },
      to: { path: '^src/', pathNot: '^src/(nlu|catalog|shared)/' },
    },
    {
      name: 'catalog-is-data',
      severity: 'error',
      comment: "src/catalog/ is the shop's data and its rules; it uses nothing but shared/.",
      from: { path: '^src/catalog/' },
      to: { path: '^src/', pathNot: '^src/(catalog|shared)/' },
    },
    {
      name: 'queue-is-plumbing',
      severity: 'error',
      comment: 'src/queue/ moves messages; it knows the message type and nothing of what is done with it.',
      from: { path: '^src/queue/' },
      to: { path: '^src/', pathNot: '^src/(queue|shared)/|^src/channels/message\\.ts$' },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Code under src/ does not import from test/.',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` and type-only uses count: they couple modules as much as any other import.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // Imports name their .ts file outright; these are for packages and extension-less imports.
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
