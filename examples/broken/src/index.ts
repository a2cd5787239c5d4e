import { Buffer } from "node:buffer";

export class Throttle {
  constructor(private state: DurableObjectState) {}
  async fetch(): Promise<Response> {
    return new Response("ok");
  }
}

interface Env {
  CACHE: KVNamespace;
  DB: D1Database;
  RESIZER: DurableObjectNamespace;
  RESIZE_API_KEY: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const key = new URL(request.url).pathname;
    const cached = await env.CACHE.get(key);
    if (cached) return new Response(cached);

    // Meant for the database, written against the cache: a KV namespace has no prepare().
    const owner = await env.CACHE.prepare("SELECT owner FROM images WHERE id = ?").bind(key).first();

    const image = await env.DB.prepare("SELECT width, height FROM images WHERE id = ?").bind(key).first();
    const thumbnails = await env.DB.prepare("SELECT url FROM thumbnails WHERE image_id = ?").bind(key).all();

    const stub = env.RESIZER.get(env.RESIZER.idFromName(key));
    const auth = Buffer.from(`api:${env.RESIZE_API_KEY}`).toString("base64");
    return stub.fetch(request.url, { headers: { authorization: `Basic ${auth}`, "x-owner": String(owner), "x-size": JSON.stringify({ image, thumbnails }) } });
  },
};
