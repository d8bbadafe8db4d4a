# tagwatch: one image for every role (`tagwatch run --role …`), the CLI and the web UI.
#   docker build -t tagwatch:local .
#   docker run --rm tagwatch:local --help
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The UI's static files are served from the source tree (dist holds only compiled modules);
# without src/cli/main.ts, bin/tagwatch.js runs the compiled dist/.
COPY src/web/ui ./src/web/ui
# Writable state of the roles (the notify role's outbox journal; an embedded store if used).
RUN mkdir -p /var/lib/tagwatch/alerts-outbox /var/lib/tagwatch/data && chown -R node:node /var/lib/tagwatch
ENV TAGWATCH_STORE=/var/lib/tagwatch/data
USER node
# 8080: web UI and API (role web) · 9464: /metrics, /healthz, /readyz (other roles)
EXPOSE 8080 9464
ENTRYPOINT ["node", "bin/tagwatch.js"]
CMD ["run", "--role", "all"]
