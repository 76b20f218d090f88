# xiaoer: the service, the web chat and the sample shop. Redis runs beside it (REDIS_URL).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY src ./src
COPY intents ./intents
COPY corpora ./corpora
COPY data ./data
COPY web ./web
COPY tsconfig.json tsconfig.build.json ./
RUN npm run build
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches the service and it shuts down cleanly; the same flags
# as package.json's start script
CMD ["node", "--max-semi-space-size=8", "dist/main.js"]
