export class Throttle {
  constructor(private state: DurableObjectState) {}
  async fetch(): Promise<Response> {
    return new Response("ok");
  }
}

export default {
  async fetch(request: Request, env: { CACHE: KVNamespace; DB: D1Database }): Promise<Response> {
    const key = new URL(request.url).pathname;
    const cached = await env.CACHE.get(key);
    if (cached) return new Response(cached);
    const row = await env.DB.prepare("SELECT width, height FROM images WHERE id = ?").bind(key).first();
    return Response.json(row);
  },
};
