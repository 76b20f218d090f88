import express from 'express';

/** The baseline for `npm run bench`: a bare Express 5 JSON echo. */
const app = express();
app.get('/healthz', (_req, res) => res.json({ ok: true }));
app.post('/echo', express.json({ limit: '64kb' }), (req, res) => {
  res.status(202).json(req.body);
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
