# xiaoer: the service, the web chat and the sample shop. Redis runs beside it (REDIS_URL), with
# `appendonly yes` (see the README's Redis section).
#
# The image runs in production mode (NODE_ENV=production, listening on 0.0.0.0): it refuses to start
# until WEBHOOK_SECRET, ADMIN_TOKEN and AGENT_TOKENS are set, each secret and token 16+ characters:
#   docker run -p 3000:3000 -e REDIS_URL=redis://redis:6379 -e WEBHOOK_SECRET=… -e ADMIN_TOKEN=… \
#     -e AGENT_TOKENS=ann:… xiaoer
# test/docker/image-files.test.ts builds and starts this file set without Docker.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
ENV HOST=0.0.0.0
COPY package.json package-lock.json ./
# Production dependencies only: the build needs tsx and typescript, which are among them.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
COPY intents ./intents
COPY corpora ./corpora
COPY campaigns ./campaigns
COPY data ./data
COPY web ./web
# The NLU models are trained once here and kept in the image: a container starts in about a second
# instead of training for about ten (a demo-mode run of the classify command, which only trains).
ENV MODEL_CACHE_DIR=models
RUN npm run build && NODE_ENV=development HOST=127.0.0.1 node dist/cli/classify.js < /dev/null
# Built as root, run as node: the service cannot change its own code or data files.
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches the service and it shuts down cleanly; the same flags
# as package.json's start script
CMD ["node", "--max-semi-space-size=8", "dist/main.js"]
