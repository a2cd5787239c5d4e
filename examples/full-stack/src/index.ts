import { DurableObject } from "cloudflare:workers";

interface Env {
  SESSIONS: KVNamespace;
  DB: D1Database;
  ATTACHMENTS: R2Bucket;
  NOTE_ROOM: DurableObjectNamespace<NoteRoom>;
  EMAILS: Queue<{ to: string; noteId: string }>;
  LOG_LEVEL: string;
  PUBLIC_BASE_URL: string;
}

/** One room per note: serialises concurrent edits. */
export class NoteRoom extends DurableObject<Env> {
  async edit(body: string): Promise<number> {
    const version = ((await this.ctx.storage.get<number>("version")) ?? 0) + 1;
    await this.ctx.storage.put("version", version);
    await this.ctx.storage.put("body", body);
    return version;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const session = await env.SESSIONS.get(request.headers.get("authorization") ?? "");
    if (!session) return new Response("unauthorized", { status: 401 });

    if (url.pathname === "/notes") {
      const { results } = await env.DB.prepare(
        "SELECT id, title, created_at FROM notes WHERE owner_id = ? ORDER BY created_at DESC",
      )
        .bind(session)
        .all();
      return Response.json(results);
    }

    const match = url.pathname.match(/^\/notes\/([\w-]+)\/attachment$/);
    if (match && request.method === "PUT") {
      await env.ATTACHMENTS.put(`${session}/${match[1]}`, request.body);
      await env.EMAILS.send({ to: session, noteId: match[1] });
      return new Response(null, { status: 204 });
    }

    if (match) {
      const room = env.NOTE_ROOM.get(env.NOTE_ROOM.idFromName(match[1]));
      return Response.json({ version: await room.edit(await request.text()) });
    }
    return new Response("not found", { status: 404 });
  },

  async queue(batch: MessageBatch<{ to: string; noteId: string }>, env: Env): Promise<void> {
    for (const message of batch.messages) {
      console.log(`[${env.LOG_LEVEL}] notify ${message.body.to} about ${message.body.noteId}`);
      message.ack();
    }
  },

  async scheduled(_controller: ScheduledController, env: Env): Promise<void> {
    await env.DB.prepare("DELETE FROM notes WHERE created_at < ?").bind(Date.now() - 90 * 86_400_000).run();
  },
} satisfies ExportedHandler<Env>;
