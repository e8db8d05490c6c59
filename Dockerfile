# The embedded GT tenant as a container: gt-conformance mock, listening on all interfaces.
#   docker build -t gt-conformance-mock .
#   docker run --rm -p 8787:8787 gt-conformance-mock                       # defaults below
#   docker run --rm -p 8787:8787 gt-conformance-mock mock --host 0.0.0.0 --port 8787 --defect models-leak
# Two stages: the build stage installs everything and builds (npm run build, when the package has one,
# compiles dist/); `npm pack` then takes exactly the files package.json publishes. The runtime stage has
# the production dependencies only (npm ci --omit=dev) and those files.

FROM node:20-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build --if-present \
 && npm pack --ignore-scripts --silent \
 && mkdir /pkg \
 && tar -xzf gt-conformance-*.tgz -C /pkg

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /pkg/package/ ./
USER node
EXPOSE 8787
ENTRYPOINT ["node", "bin/gt-conformance.js"]
CMD ["mock", "--host", "0.0.0.0", "--port", "8787"]
