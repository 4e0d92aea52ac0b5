// 👍/👎 under every chat answer, and the staff tab 「未回答・要改善」.
// Loaded before app.js, which calls SmeFeedback.controls(answer) for each finished answer.
// All text goes into the page through textContent, never as HTML.
"use strict";

window.SmeFeedback = (() => {
  const REASONS = {
    declined: "回答できず",
    low_confidence: "確信度が低い",
    thumbs_down: "👎 役に立たなかった",
  };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function detail(response) {
    try {
      const body = await response.json();
      if (body && typeof body.detail === "string") return body.detail;
    } catch (_) {
      // not JSON
    }
    return `エラーが発生しました（${response.status}）。`;
  }

  // The answer travels back with the rating: a server process other than the one that
  // answered records it only if it matches the answer id's signature.
  async function send(rated, rating, comment) {
    const payload = {
      answer_id: rated.answer_id,
      rating,
      question: rated.question,
      answer: rated.answer,
      intent: rated.intent,
      answerable: rated.answerable,
    };
    if (comment) payload.comment = comment;
    const response = await fetch("/api/feedback", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
    if (!response.ok) throw new Error(await detail(response));
    return response.json();
  }

  // --- The buttons under an answer ----------------------------------------------------
  // The words are the button's name; the emoji is decoration (and not every font has it).
  function rateButton(className, emoji, words) {
    const button = el("button", `rate ${className}`);
    button.type = "button";
    button.setAttribute("aria-pressed", "false");
    const icon = el("span", "rate-icon", emoji);
    icon.setAttribute("aria-hidden", "true");
    button.append(icon, document.createTextNode(words));
    return button;
  }

  // `asked`: the question as the page sent it (the server signs that, not its own wording).
  function controls(answer, asked) {
    const rated = { ...answer, question: asked || answer.question };
    const box = el("div", "feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "この回答の評価");
    const up = rateButton("rate-up", "👍", "役に立った");
    const down = rateButton("rate-down", "👎", "役に立たなかった");
    const status = el("span", "feedback-status");
    status.setAttribute("role", "status");
    const form = el("form", "feedback-comment");
    form.hidden = true;
    const label = el("label", null, "よろしければ、足りなかった点をお書きください（任意・500文字以内）");
    const area = el("textarea");
    area.maxLength = 500;
    area.rows = 2;
    label.append(area);
    const submit = el("button", "secondary", "コメントを送る");
    submit.type = "submit";
    form.append(label, submit);

    async function rate(rating, comment) {
      const pressed = rating === "up" ? up : down;
      const other = rating === "up" ? down : up;
      try {
        await send(rated, rating, comment);
      } catch (error) {
        status.textContent = error.message || "評価を送信できませんでした。";
        return false;
      }
      pressed.setAttribute("aria-pressed", "true");
      other.setAttribute("aria-pressed", "false");
      return true;
    }

    up.addEventListener("click", async () => {
      if (await rate("up")) {
        form.hidden = true;
        status.textContent = "ありがとうございます。";
      }
    });
    down.addEventListener("click", async () => {
      if (await rate("down")) {
        status.textContent = "ご意見ありがとうございます。職員が回答の改善に使います。";
        form.hidden = false;
        area.focus();
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const comment = area.value.trim();
      if (!comment) {
        area.focus();
        return;
      }
      if (await rate("down", comment)) {
        form.hidden = true;
        status.textContent = "コメントを送信しました。ありがとうございます。";
      }
    });
    box.append(el("span", "feedback-label", "この回答は役に立ちましたか？"), up, down, status, form);
    return box;
  }

  // --- The staff tab ------------------------------------------------------------------
  const timeFormat = new Intl.DateTimeFormat("ja-JP", { dateStyle: "medium", timeStyle: "short" });

  function groupItem(group) {
    const item = el("li", "source unanswered-item");
    const head = el("div", "source-head");
    head.append(el("strong", "unanswered-question", group.example));
    const tags = el("span", "tags");
    tags.append(el("span", "tag unanswered-count", `${group.count}件`));
    for (const reason of group.reasons) tags.append(el("span", "tag tag-muted", REASONS[reason] || reason));
    head.append(tags);
    const when = el("p", "meta", `最終：${timeFormat.format(new Date(group.last_at))}`);
    const answer = el("blockquote", "quote", group.answer);
    answer.setAttribute("aria-label", "回答した内容");
    item.append(head, when, el("p", "meta", "回答した内容："), answer);
    if (group.comments.length) {
      item.append(el("p", "meta", "コメント："));
      const comments = el("ul", "comments");
      for (const comment of group.comments) comments.append(el("li", null, comment));
      item.append(comments);
    }
    return item;
  }

  async function loadUnanswered() {
    const list = document.getElementById("unanswered-list");
    const status = document.getElementById("unanswered-status");
    status.textContent = "読み込み中…";
    try {
      const response = await fetch("/api/feedback/unanswered");
      if (!response.ok) {
        status.textContent = await detail(response);
        return;
      }
      const body = await response.json();
      list.replaceChildren(...body.groups.map(groupItem));
      const off = body.recording ? "" : "（記録はオフです：SME_RECORD_QUESTIONS=false）";
      status.textContent = body.groups.length
        ? `${body.groups.length}件の質問があります。${off}`
        : `記録された質問はありません。${off}`;
    } catch (_) {
      status.textContent = "サーバーに接続できませんでした。";
    }
  }

  // A deferred script: the page is parsed by now. app.js announces the tab being opened.
  document.getElementById("view-unanswered").addEventListener("tab-shown", loadUnanswered);
  document.getElementById("unanswered-refresh").addEventListener("click", loadUnanswered);

  return { controls, loadUnanswered };
})();
