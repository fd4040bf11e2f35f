/**
 * A2A push notifications through the fetch guard: a webhook URL is checked by the same address policy
 * as the fetch tool when a client registers it, and again on every delivery (the socket's own lookup),
 * so a task update can never be made to reach a private address (SSRF) by a client that names one, or
 * by a name that later resolves to one. Deliveries to one task keep their order; a failed delivery is
 * reported to `onError` and does not touch the task.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { StreamResponse, Task, TaskPushNotificationConfig } from "@a2a-js/sdk";
import { V03PushNotificationSerializer } from "@a2a-js/sdk/compat/v0_3/server";
import { RequestMalformedError } from "@a2a-js/sdk/errors";
import {
  InMemoryPushNotificationStore,
  type PushNotificationSender,
  type PushNotificationSerializer,
  type PushNotificationStore,
  type ServerCallContext,
  V1PushNotificationSerializer,
} from "@a2a-js/sdk/server";
import { ToolError, ValidationError } from "@autogen-ts/core";
import {
  addressAllowed,
  checkUrlTarget,
  guardedLookup,
  type PrivateAddressPolicy,
  refusedAddress,
} from "../tools/fetch/guard.js";

/** Options of push notifications on `serveA2A`. */
export interface A2APushOptions {
  /** Private addresses webhooks may reach: `true` for all, or a function of address and host (default none). */
  readonly allowPrivateAddresses?: PrivateAddressPolicy;
  /** How long one delivery may take, in milliseconds (default 5000). */
  readonly timeoutMs?: number;
  /** Where webhook registrations are kept (default: in memory). Any `PushNotificationStore` of the SDK. */
  readonly store?: PushNotificationStore;
  /** Told of each failed delivery: the webhook's URL without its query, and why. */
  readonly onError?: (failure: { taskId: string; url: string; error: Error }) => void;
}

/** What the request handler needs for push notifications. */
export interface A2APush {
  readonly store: PushNotificationStore;
  readonly sender: PushNotificationSender;
  /** Refuses a webhook URL that the policy does not allow (before it is stored). */
  check(url: string): Promise<void>;
}

/** Push notifications for the options (`undefined` when they are off). */
export function pushNotifications(options: A2APushOptions | boolean | undefined): A2APush | undefined {
  if (options === undefined || options === false) return undefined;
  const o: A2APushOptions = options === true ? {} : options;
  const timeoutMs = o.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ValidationError("serveA2A: 'pushNotifications.timeoutMs' must be a positive number");
  }
  const store = o.store ?? new InMemoryPushNotificationStore();
  const policy = o.allowPrivateAddresses;
  return {
    store,
    sender: new GuardedPushSender(store, policy, timeoutMs, o.onError),
    check: (url) => checkWebhook(url, policy),
  };
}

async function checkWebhook(raw: string, policy: PrivateAddressPolicy | undefined): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RequestMalformedError(`The webhook URL is not a URL`);
  }
  try {
    checkUrlTarget(url, policy);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const addresses = await dnsLookup(host, { all: true }).catch(() => {
      throw new ToolError(`The webhook's host ${host} does not resolve`);
    });
    const bad = addresses.find((a) => !addressAllowed(a.address, host, policy));
    if (bad) throw refusedAddress(host, bad.address);
  } catch (error) {
    throw new RequestMalformedError(`The webhook URL is refused: ${(error as Error).message}`);
  }
}

class GuardedPushSender implements PushNotificationSender {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly serializers = new Map<string, PushNotificationSerializer>([
    ["1.0", new V1PushNotificationSerializer()],
    ["0.3", new V03PushNotificationSerializer()],
  ]);

  constructor(
    private readonly store: PushNotificationStore,
    private readonly policy: PrivateAddressPolicy | undefined,
    private readonly timeoutMs: number,
    private readonly onError: A2APushOptions["onError"],
  ) {}

  async send(update: StreamResponse, context: ServerCallContext, task?: Task): Promise<void> {
    const taskId = taskIdOf(update);
    if (!taskId) return;
    const configs = this.store.loadWithMetadata
      ? await this.store.loadWithMetadata(taskId, context)
      : (await this.store.load(taskId, context)).map((config) => ({
          config,
          wireVersion: context.requestedVersion || "0.3",
        }));
    if (configs.length === 0) return;
    const previous = this.chains.get(taskId) ?? Promise.resolve();
    const next = previous.then(() =>
      Promise.all(
        configs.map(async ({ config, wireVersion }) => {
          const serializer = this.serializers.get(wireVersion.startsWith("0.") ? "0.3" : "1.0");
          const { body, contentType } = serializer!.serialize(update, task);
          try {
            await this.post(config, body, contentType);
          } catch (error) {
            this.onError?.({ taskId, url: withoutQuery(config.url), error: error as Error });
          }
        }),
      ).then(() => undefined),
    );
    this.chains.set(taskId, next);
    await next;
    if (this.chains.get(taskId) === next) this.chains.delete(taskId);
  }

  private post(config: TaskPushNotificationConfig, body: string, contentType: string): Promise<void> {
    const url = new URL(config.url);
    checkUrlTarget(url, this.policy);
    const headers: Record<string, string> = { "content-type": contentType };
    const auth = config.authentication;
    if (auth?.scheme && auth.credentials) headers.authorization = `${auth.scheme} ${auth.credentials}`;
    else if (config.token) headers["x-a2a-notification-token"] = config.token;
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise<void>((resolve, reject) => {
      const req = send(
        url,
        {
          method: "POST",
          headers,
          lookup: guardedLookup(this.policy) as never,
          // A fresh connection per delivery: a pooled socket would skip the lookup and its check.
          agent: false,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          res.resume();
          const status = res.statusCode ?? 0;
          // Redirects are not followed: the target would escape the check.
          if (status >= 200 && status < 300) resolve();
          else reject(new ToolError(`The webhook answered HTTP ${status}`));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}

function taskIdOf(update: StreamResponse): string {
  const payload = update.payload;
  if (!payload) return "";
  return payload.$case === "task" ? payload.value.id : payload.value.taskId;
}

function withoutQuery(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return "(not a URL)";
  }
}
