/**
 * platform/: process-level wiring shared by workers, the API, the CLI and the tests —
 * configuration, logging, the database client, the Temporal connection and the local servers
 * (Temporal dev server, private PostgreSQL) that the embedded mode and the tests start.
 * It imports domain/ and, in its *-setup.ts files, the activities' adapters it builds from config
 * (dist-git, builder, CI, notifier); never workflows/, clients/ or api/. Activities import
 * body-signature.ts (the signature the API verifies).
 *
 * This file is the only place that reads process.env: one zod-parsed object, passed down.
 */
import path from 'node:path';
import { z } from 'zod';

const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/** Every variable Cascade reads, with its default. The README's configuration table mirrors this. */
export const environmentSchema = z.object({
  CASCADE_DATA_DIR: z.string().min(1).default('.data'),
  CASCADE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  CASCADE_API_HOST: z.string().min(1).default('127.0.0.1'),
  CASCADE_API_PORT: port.default(8080),
  CASCADE_READS_REQUIRE_AUTH: booleanFromString.default(false),
  CASCADE_TASK_QUEUE: z.string().min(1).default('cascade'),
  CASCADE_PUBLIC_URL: z.string().url().optional(),
  CASCADE_DISTGIT_ROOT: z.string().min(1).optional(),
  CASCADE_DISTGIT_URL: z.string().url().optional(),
  CASCADE_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  CASCADE_WEBHOOK_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(300),
  CASCADE_AMQP_URL: z
    .string()
    .regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL')
    .optional(),
  CASCADE_AMQP_EXCHANGE: z.string().min(1).default('amq.topic'),
  CASCADE_AMQP_QUEUE: z.string().min(1).default('cascade-dist-git'),
  CASCADE_AMQP_BINDING_KEYS: z.string().min(1).default('#.git.receive'),
  CASCADE_AMQP_TOPIC_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*)?$/, 'must be dot-separated words, e.g. org.fedoraproject.prod')
    .default(''),
  CASCADE_KOJI_ROOT: z.string().min(1).optional(),
  CASCADE_BUILDER: z.enum(['local', 'koji']).default('local'),
  CASCADE_KOJI_HUB_URL: z.string().url().optional(),
  CASCADE_KOJI_TOPURL: z.string().url().optional(),
  CASCADE_KOJI_CERT: z.string().min(1).optional(),
  CASCADE_KOJI_KEY: z.string().min(1).optional(),
  CASCADE_KOJI_SERVERCA: z.string().min(1).optional(),
  CASCADE_KOJI_USER: z.string().min(1).optional(),
  CASCADE_KOJI_PASSWORD_FILE: z.string().min(1).optional(),
  CASCADE_KOJI_ARCHES: z
    .string()
    .regex(/^[A-Za-z0-9_]+( [A-Za-z0-9_]+)*$/, 'space-separated architectures, e.g. "x86_64 aarch64"')
    .default('x86_64'),
  CASCADE_KOJI_PLATFORM_TAG: z.string().min(1).optional(),
  CASCADE_KOJI_BUILD_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9._+-]+( [A-Za-z0-9._+-]+)*$/, 'space-separated package names')
    .default(
      'bash bzip2 coreutils cpio diffutils findutils gawk gcc grep gzip info make patch redhat-rpm-config rpm-build sed shadow-utils tar unzip util-linux which xz',
    ),
  CASCADE_BUILD_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  CASCADE_BUILD_TIMEOUT_SECONDS: z.coerce.number().int().min(10).default(3600),
  CASCADE_CAMPAIGN_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(8),
  CASCADE_CAMPAIGN_BRANCHES: z
    .string()
    .regex(
      /^(\*|[A-Za-z0-9][A-Za-z0-9._+-]*)?(,(\*|[A-Za-z0-9][A-Za-z0-9._+-]*))*$/,
      'a comma-separated list of branch names, or *',
    )
    .default(''),
  CASCADE_REMINDER_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(86400),
  CASCADE_CI_TEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(600),
  CASCADE_RESULTSDB_URL: z.string().url().optional(),
  CASCADE_COMPOSE_ROOT: z.string().min(1).optional(),
  CASCADE_MIRROR_ROOT: z.string().min(1).optional(),
  CASCADE_COMPOSE_KEEP: z.coerce.number().int().min(1).max(1000).default(5),
  CASCADE_ODCS_SECONDS_TO_LIVE: z.coerce.number().int().min(60).default(86400),
  // how often expired composes are removed (a Temporal schedule); 0: never
  CASCADE_COMPOSE_REAP_SECONDS: z.coerce.number().int().min(0).default(900),
  CASCADE_NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  CASCADE_NOTIFY_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
  CASCADE_SMTP_HOST: z.string().min(1).optional(),
  CASCADE_SMTP_PORT: port.optional(),
  CASCADE_SMTP_TLS: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  CASCADE_SMTP_FROM: z
    .string()
    .regex(/^([^<>@\s][^<>]*<)?[^<>@\s]+@[A-Za-z0-9.-]+>?$/, 'must be an address, e.g. Cascade <cascade@example.org>')
    .optional(),
  CASCADE_SMTP_USER: z.string().min(1).optional(),
  CASCADE_SMTP_PASSWORD_FILE: z.string().min(1).optional(),
  CASCADE_SMTP_CA_FILE: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: booleanFromString.optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_CLI: z.string().min(1).optional(),
  TEMPORAL_UI_PORT: port.default(8233),
  // where people open the Temporal Web UI (the dashboard links each workflow there)
  CASCADE_TEMPORAL_UI_URL: z.string().url().optional(),
  CASCADE_URL: z.string().url().default('http://127.0.0.1:8080'),
  CASCADE_TOKEN: z.string().min(1).optional(),
  // the system's, for finding programs such as the Temporal CLI
  PATH: z.string().default(''),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface CascadeConfig {
  dataDir: string;
  logLevel: Environment['CASCADE_LOG_LEVEL'];
  /** publicUrl: where people reach the API (explicitPublicUrl: only when CASCADE_PUBLIC_URL names it) */
  api: { host: string; port: number; readsRequireAuth: boolean; publicUrl: string; explicitPublicUrl?: string };
  distGit: { kind: 'local'; root: string } | { kind: 'remote'; baseUrl: string; cacheDir: string };
  /** the shared secret of signed dist-git events; created on first use when absent */
  webhookSecretFile: string;
  /** how far a signed dist-git delivery's sentAt may be from the API's clock; its id is remembered as long */
  webhookWindowSeconds: number;
  /** the message-bus consumer of dist-git pushes, when configured */
  amqp?: { url: string; exchange: string; queue: string; bindingKeys: string[] };
  /** events out: the outbox published to the message bus in fedora-messaging's format, when configured */
  events: { amqp?: { url: string; exchange: string; topicPrefix: string } };
  /**
   * component builds: kojiRoot holds LocalKoji's builds, or a Koji hub's builds brought here; `koji`
   * is set when CASCADE_BUILDER=koji (KojiHubBuilder against that hub)
   */
  builds: { kojiRoot: string; concurrency: number; componentTimeoutMs: number; koji?: KojiHubSettings };
  /**
   * rebuild campaigns: module attempts in flight per campaign, reminder period while waiting for a
   * person, and the supported branches whose pushes start campaigns ('*': every branch; none by default)
   */
  campaigns: { concurrency: number; reminderIntervalMs: number; pushBranches: string[] };
  /** the embedded CI (Taskotron's job): time limit of each module-provided test; an external ResultsDB its results also go to */
  ci: { testTimeoutMs: number; workDir: string; resultsDbUrl?: string };
  /**
   * composes: where they are made (<topdir>/<compose id>), the mirror tree they are published to (with
   * the latest-<short>-<version> links), how many are kept per release there, dnf's cache for their
   * checks, and how long an ODCS compose lives unless renewed
   */
  composes: {
    topdir: string;
    mirrorRoot: string;
    keep: number;
    cacheDir: string;
    odcsSecondsToLive: number;
    reapEverySeconds: number;
  };
  /**
   * notifications: always the inbox in the store; e-mail to those who chose it when an SMTP host is
   * configured (campaign links under dashboardUrl); a signed webhook when a URL is configured
   */
  notify: {
    webhook?: { url: string; secretFile: string };
    email?: {
      host: string;
      port: number;
      tls: 'starttls' | 'tls' | 'none';
      from: string;
      auth?: { user: string; passwordFile: string };
      /** PEM certificates the server's certificate must chain to, instead of the system's */
      caFile?: string;
      dashboardUrl: string;
    };
  };
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
    /** the dev server's binary, when Cascade starts one itself (embedded mode) */
    cliPath?: string;
    uiPort: number;
    /** the Temporal Web UI's base URL (default http://127.0.0.1:<uiPort>); explicitUiUrl: only when configured */
    uiUrl: string;
    explicitUiUrl?: string;
  };
  cli: { url: string; token?: string };
  systemPath: string;
}

export interface KojiHubSettings {
  hubUrl: string;
  topUrl: string;
  auth: { kind: 'ssl'; certFile: string; keyFile?: string } | { kind: 'password'; user: string; passwordFile: string };
  serverCaFile?: string;
  arches: string;
  platformTag?: string;
  buildGroup: string[];
}

/** CASCADE_BUILDER=koji: the hub, its files, and one way to log in (a certificate, or a user and password). */
function kojiHubSettings(e: Environment, cwd: string): KojiHubSettings | undefined {
  if (e.CASCADE_BUILDER !== 'koji') return undefined;
  const bad = (message: string) => new ConfigError(`invalid configuration: ${message}`);
  if (!e.CASCADE_KOJI_HUB_URL) throw bad('CASCADE_KOJI_HUB_URL is needed when CASCADE_BUILDER=koji');
  if (!e.CASCADE_KOJI_TOPURL) throw bad('CASCADE_KOJI_TOPURL is needed when CASCADE_BUILDER=koji');
  const password = Boolean(e.CASCADE_KOJI_USER) || Boolean(e.CASCADE_KOJI_PASSWORD_FILE);
  if (e.CASCADE_KOJI_CERT && password)
    throw bad('CASCADE_KOJI_CERT and CASCADE_KOJI_USER/CASCADE_KOJI_PASSWORD_FILE are two ways to log in: choose one');
  if (password && !(e.CASCADE_KOJI_USER && e.CASCADE_KOJI_PASSWORD_FILE))
    throw bad('CASCADE_KOJI_USER and CASCADE_KOJI_PASSWORD_FILE go together');
  if (!e.CASCADE_KOJI_CERT && !password)
    throw bad(
      'CASCADE_BUILDER=koji needs CASCADE_KOJI_CERT (SSL login) or CASCADE_KOJI_USER and CASCADE_KOJI_PASSWORD_FILE',
    );
  if (e.CASCADE_KOJI_KEY && !e.CASCADE_KOJI_CERT) throw bad('CASCADE_KOJI_KEY goes with CASCADE_KOJI_CERT');
  const file = (f: string) => path.resolve(cwd, f);
  return {
    hubUrl: e.CASCADE_KOJI_HUB_URL.replace(/\/+$/, ''),
    topUrl: e.CASCADE_KOJI_TOPURL.replace(/\/+$/, ''),
    auth: e.CASCADE_KOJI_CERT
      ? { kind: 'ssl', certFile: file(e.CASCADE_KOJI_CERT), keyFile: e.CASCADE_KOJI_KEY && file(e.CASCADE_KOJI_KEY) }
      : { kind: 'password', user: e.CASCADE_KOJI_USER!, passwordFile: file(e.CASCADE_KOJI_PASSWORD_FILE!) },
    serverCaFile: e.CASCADE_KOJI_SERVERCA && file(e.CASCADE_KOJI_SERVERCA),
    arches: e.CASCADE_KOJI_ARCHES,
    platformTag: e.CASCADE_KOJI_PLATFORM_TAG,
    buildGroup: e.CASCADE_KOJI_BUILD_GROUP.split(' '),
  };
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

/** Builds the config from an environment (process.env by default); a bad variable is named in the error. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): CascadeConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.CASCADE_DATA_DIR);
  if (e.CASCADE_SMTP_HOST && !e.CASCADE_SMTP_FROM) {
    throw new ConfigError('invalid configuration: CASCADE_SMTP_FROM is needed when CASCADE_SMTP_HOST is set');
  }
  if (Boolean(e.CASCADE_SMTP_USER) !== Boolean(e.CASCADE_SMTP_PASSWORD_FILE)) {
    throw new ConfigError('invalid configuration: CASCADE_SMTP_USER and CASCADE_SMTP_PASSWORD_FILE go together');
  }
  const tlsWanted = e.TEMPORAL_TLS ?? Boolean(e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA || e.TEMPORAL_API_KEY);
  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together');
  }
  return {
    dataDir,
    logLevel: e.CASCADE_LOG_LEVEL,
    api: {
      host: e.CASCADE_API_HOST,
      port: e.CASCADE_API_PORT,
      readsRequireAuth: e.CASCADE_READS_REQUIRE_AUTH,
      publicUrl: (e.CASCADE_PUBLIC_URL ?? `http://${e.CASCADE_API_HOST}:${e.CASCADE_API_PORT}`).replace(/\/$/, ''),
      explicitPublicUrl: e.CASCADE_PUBLIC_URL?.replace(/\/$/, ''),
    },
    distGit: e.CASCADE_DISTGIT_URL
      ? {
          kind: 'remote',
          baseUrl: e.CASCADE_DISTGIT_URL.replace(/\/$/, ''),
          cacheDir: path.join(dataDir, 'distgit-cache'),
        }
      : { kind: 'local', root: path.resolve(cwd, e.CASCADE_DISTGIT_ROOT ?? path.join(dataDir, 'distgit')) },
    webhookSecretFile: path.resolve(cwd, e.CASCADE_WEBHOOK_SECRET_FILE ?? path.join(dataDir, 'webhook-secret')),
    webhookWindowSeconds: e.CASCADE_WEBHOOK_WINDOW_SECONDS,
    amqp: e.CASCADE_AMQP_URL
      ? {
          url: e.CASCADE_AMQP_URL,
          exchange: e.CASCADE_AMQP_EXCHANGE,
          queue: e.CASCADE_AMQP_QUEUE,
          bindingKeys: e.CASCADE_AMQP_BINDING_KEYS.split(',')
            .map((k) => k.trim())
            .filter(Boolean),
        }
      : undefined,
    events: {
      amqp: e.CASCADE_AMQP_URL
        ? { url: e.CASCADE_AMQP_URL, exchange: e.CASCADE_AMQP_EXCHANGE, topicPrefix: e.CASCADE_AMQP_TOPIC_PREFIX }
        : undefined,
    },
    builds: {
      kojiRoot: path.resolve(cwd, e.CASCADE_KOJI_ROOT ?? path.join(dataDir, 'koji')),
      concurrency: e.CASCADE_BUILD_CONCURRENCY,
      componentTimeoutMs: e.CASCADE_BUILD_TIMEOUT_SECONDS * 1000,
      koji: kojiHubSettings(e, cwd),
    },
    campaigns: {
      concurrency: e.CASCADE_CAMPAIGN_CONCURRENCY,
      pushBranches: e.CASCADE_CAMPAIGN_BRANCHES.split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      reminderIntervalMs: e.CASCADE_REMINDER_INTERVAL_SECONDS * 1000,
    },
    ci: {
      testTimeoutMs: e.CASCADE_CI_TEST_TIMEOUT_SECONDS * 1000,
      workDir: path.join(dataDir, 'ci'),
      resultsDbUrl: e.CASCADE_RESULTSDB_URL?.replace(/\/+$/, ''),
    },
    composes: {
      topdir: path.resolve(cwd, e.CASCADE_COMPOSE_ROOT ?? path.join(dataDir, 'composes')),
      mirrorRoot: path.resolve(cwd, e.CASCADE_MIRROR_ROOT ?? path.join(dataDir, 'mirror')),
      keep: e.CASCADE_COMPOSE_KEEP,
      cacheDir: path.join(dataDir, 'compose-cache'),
      odcsSecondsToLive: e.CASCADE_ODCS_SECONDS_TO_LIVE,
      reapEverySeconds: e.CASCADE_COMPOSE_REAP_SECONDS,
    },
    notify: {
      webhook: e.CASCADE_NOTIFY_WEBHOOK_URL
        ? {
            url: e.CASCADE_NOTIFY_WEBHOOK_URL,
            secretFile: path.resolve(
              cwd,
              e.CASCADE_NOTIFY_WEBHOOK_SECRET_FILE ?? path.join(dataDir, 'notify-webhook-secret'),
            ),
          }
        : undefined,
      email: e.CASCADE_SMTP_HOST
        ? {
            host: e.CASCADE_SMTP_HOST,
            port: e.CASCADE_SMTP_PORT ?? (e.CASCADE_SMTP_TLS === 'tls' ? 465 : 587),
            tls: e.CASCADE_SMTP_TLS,
            from: e.CASCADE_SMTP_FROM!,
            auth:
              e.CASCADE_SMTP_USER && e.CASCADE_SMTP_PASSWORD_FILE
                ? { user: e.CASCADE_SMTP_USER, passwordFile: path.resolve(cwd, e.CASCADE_SMTP_PASSWORD_FILE) }
                : undefined,
            caFile: e.CASCADE_SMTP_CA_FILE && path.resolve(cwd, e.CASCADE_SMTP_CA_FILE),
            dashboardUrl: (e.CASCADE_PUBLIC_URL ?? `http://${e.CASCADE_API_HOST}:${e.CASCADE_API_PORT}`).replace(
              /\/$/,
              '',
            ),
          }
        : undefined,
    },
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.CASCADE_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: tlsWanted
        ? {
            certPath: e.TEMPORAL_TLS_CERT,
            keyPath: e.TEMPORAL_TLS_KEY,
            caPath: e.TEMPORAL_TLS_CA,
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      cliPath: e.TEMPORAL_CLI,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: (e.CASCADE_TEMPORAL_UI_URL ?? `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`).replace(/\/$/, ''),
      explicitUiUrl: e.CASCADE_TEMPORAL_UI_URL?.replace(/\/$/, ''),
    },
    cli: { url: e.CASCADE_URL, token: e.CASCADE_TOKEN },
    systemPath: e.PATH,
  };
}

/** The settings a campaign started by this deployment runs with. */
export function campaignSettings(config: CascadeConfig) {
  return {
    concurrency: config.campaigns.concurrency,
    reminderIntervalMs: config.campaigns.reminderIntervalMs,
    build: { concurrency: config.builds.concurrency, componentTimeoutMs: config.builds.componentTimeoutMs },
  };
}
