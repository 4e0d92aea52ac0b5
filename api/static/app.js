// Web chat of the Kawasaki SME report assistant. No framework, no CDN.
// Every piece of user or report text goes into the page through textContent, never as HTML.
"use strict";

(() => {
  const KIND_LABELS = {
    article: "条文",
    plan: "事業計画",
    budget: "予算・指標",
    activities: "実施状況",
    check: "検証意見",
    action: "今後の対応",
    support_menu: "支援メニュー",
    contact: "相談窓口",
    programme_row: "事業一覧",
    section: "報告書本文",
  };
  const INTENT_LABELS = {
    subsidy: "補助金",
    loan: "融資",
    contact: "相談窓口",
    budget: "予算",
    kpi: "成果指標",
    ordinance: "条例",
    programme: "事業",
    statistics: "統計",
    out_of_scope: "対象外",
  };
  const NOT_IN_REPORT = "報告書に記載がありません";

  const $ = (id) => document.getElementById(id);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function articleLabel(number) {
    if (number === null || number === undefined) return null;
    if (number === 0) return "前文";
    if (number === 25) return "附則";
    return `第${number}条`;
  }

  // Citations name programmes by id (the shape `sme-assistant ask --json` prints).
  const programmeNames = new Map();
  const namesLoaded = fetch("/api/programmes")
    .then((response) => (response.ok ? response.json() : []))
    .then((list) => {
      for (const p of list) programmeNames.set(p.id, p.name);
    })
    .catch(() => {});

  function programmeName(item) {
    if (!item.programme) return null;
    return item.programme_name || programmeNames.get(item.programme) || item.programme;
  }

  function sourceTitle(item) {
    return programmeName(item) || articleLabel(item.article) || item.title || item.section ||
      KIND_LABELS[item.kind] || "報告書";
  }

  function whereLabel(item) {
    const parts = [];
    if (item.page) parts.push(`p.${item.page}`);
    if (item.lines && item.lines.length === 2) parts.push(`${item.lines[0]}–${item.lines[1]}行`);
    return parts.join("・");
  }

  function chipLabel(citation, index) {
    const where = citation.page ? ` p.${citation.page}` : "";
    return `[${index + 1}] ${sourceTitle(citation)}${where}`;
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      if (body && typeof body.detail === "string") return body.detail;
    } catch (_) {
      // not JSON: fall through to the generic message
    }
    return `エラーが発生しました（${response.status}）。`;
  }

  // --- Server-Sent Events over fetch (POST bodies are not possible with EventSource) ---
  // Without an id the chat asks the server to start a conversation; the id it issues comes
  // back in the `meta` and `answer` events and is sent with every later question.
  async function streamChat(question, conversationId, on) {
    const payload = { question };
    if (conversationId) payload.conversation_id = conversationId;
    else payload.new_conversation = true;
    const response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(payload),
    });
    if (!response.ok || !response.body) {
      on.error(await errorMessage(response), response.status);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder("utf-8");
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        let parsed = {};
        try {
          parsed = data.length ? JSON.parse(data.join("\n")) : {};
        } catch (_) {
          continue;
        }
        if (on[name]) await on[name](parsed);
      }
    }
  }

  // --- Source dialog -------------------------------------------------------------------
  const dialog = $("source-dialog");

  function metaRow(list, term, value) {
    if (value === null || value === undefined || value === "") return;
    list.append(el("dt", null, term), el("dd", null, value));
  }

  // The quote is verbatim report text (PDF spacing, full-width digits); the passage is the
  // cleaned chunk. Compare both NFKC-normalised without whitespace, then map back.
  function squeeze(text) {
    let out = "";
    const at = [];
    for (let i = 0; i < text.length; i += 1) {
      const piece = text[i].normalize("NFKC").replace(/\s+/g, "");
      for (const ch of piece) {
        out += ch;
        at.push(i);
      }
    }
    return { out, at };
  }

  function findRanges(text, quote) {
    const hay = squeeze(text);
    const ranges = [];
    const parts = [quote, ...quote.split(/\n+/)];
    for (const part of parts) {
      const needle = squeeze(part).out;
      if (needle.length < 2) continue;
      const found = hay.out.indexOf(needle);
      if (found < 0) continue;
      ranges.push([hay.at[found], hay.at[found + needle.length - 1] + 1]);
      if (part === quote) break; // the whole quote matched: no need for its lines
    }
    ranges.sort((a, b) => a[0] - b[0]);
    return ranges.filter((r, i) => i === 0 || r[0] >= ranges[i - 1][1]);
  }

  function highlight(container, text, quote) {
    container.replaceChildren();
    let last = 0;
    for (const [start, end] of quote ? findRanges(text, quote) : []) {
      container.append(document.createTextNode(text.slice(last, start)), el("mark", null, text.slice(start, end)));
      last = end;
    }
    container.append(document.createTextNode(text.slice(last)));
  }

  async function openSource(item, opener) {
    $("source-title").textContent = sourceTitle(item);
    const meta = $("source-meta");
    meta.replaceChildren();
    metaRow(meta, "事業", programmeName(item));
    metaRow(meta, "条例", articleLabel(item.article));
    metaRow(meta, "種類", KIND_LABELS[item.kind] || item.kind);
    metaRow(meta, "ページ", item.page ? `${item.page}ページ` : null);
    metaRow(meta, "行", item.lines ? `${item.lines[0]}〜${item.lines[1]}行目` : null);
    const quote = item.quote || "";
    $("source-quote").textContent = quote || item.text || "";
    const context = $("source-context");
    context.textContent = "読み込み中…";
    dialog.returnFocusTo = opener || null;
    if (!dialog.open) dialog.showModal();
    try {
      const response = await fetch(`/api/sources/${encodeURIComponent(item.id)}`);
      if (!response.ok) {
        context.textContent = await errorMessage(response);
        return;
      }
      const source = await response.json();
      highlight(context, source.text, quote);
      if (source.title && !item.programme && item.article === null) {
        $("source-title").textContent = source.title;
      }
    } catch (_) {
      context.textContent = "本文を読み込めませんでした。";
    }
  }

  $("source-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // click on the backdrop
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnFocusTo) dialog.returnFocusTo.focus();
  });

  function citationChips(citations) {
    const list = el("ul", "chips");
    list.setAttribute("aria-label", "出典");
    citations.forEach((citation, index) => {
      const chip = el("button", "chip", chipLabel(citation, index));
      chip.type = "button";
      chip.title = `${sourceTitle(citation)}（${whereLabel(citation)}）の引用を開く`;
      chip.addEventListener("click", () => openSource(citation, chip));
      const item = el("li");
      item.append(chip);
      list.append(item);
    });
    return list;
  }

  // --- Chat ----------------------------------------------------------------------------
  const messages = $("messages");
  const input = $("chat-input");
  const send = $("chat-send");
  let conversationId = null;
  let busy = false;

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  function addUserMessage(text) {
    const item = el("div", "msg msg-user");
    item.append(el("span", "visually-hidden", "あなた："), el("p", "bubble", text));
    messages.append(item);
    scrollToEnd();
  }

  function addAssistantMessage() {
    const item = el("div", "msg msg-assistant");
    item.setAttribute("aria-busy", "true");
    const bubble = el("div", "bubble");
    const label = el("span", "visually-hidden", "アシスタント：");
    const notice = el("p", "notice");
    notice.hidden = true;
    const text = el("p", "answer-text");
    const typing = el("span", "typing");
    typing.setAttribute("aria-label", "回答を作成中");
    typing.append(el("i"), el("i"), el("i"));
    bubble.append(label, notice, text, typing);
    item.append(bubble);
    messages.append(item);
    scrollToEnd();
    return { item, bubble, notice, text, typing };
  }

  // `asked`: the question as this page sent it (a rating carries it back with the answer).
  function finish(view, answer, asked) {
    view.typing.remove();
    view.item.removeAttribute("aria-busy");
    if (!answer) return;
    view.text.textContent = answer.answer; // the final text wins over the streamed pieces
    const sources = answer.citations.length ? `（出典${answer.citations.length}件）` : "";
    $("announcer").textContent = `回答：${answer.answer}${sources}`;
    if (!answer.answerable) {
      view.item.classList.add("unanswerable");
      view.notice.hidden = false;
      view.notice.textContent = `${NOT_IN_REPORT}。報告書の記載の範囲でお答えしています。`;
    } else if (answer.citations.length) {
      view.bubble.append(el("p", "chips-label", "出典（クリックで引用箇所を表示）"));
      view.bubble.append(citationChips(answer.citations));
    }
    if (answer.answer_id && window.SmeFeedback) view.bubble.append(window.SmeFeedback.controls(answer, asked));
    scrollToEnd();
  }

  function fail(view, message) {
    view.typing.remove();
    view.item.removeAttribute("aria-busy");
    view.item.classList.add("failed");
    view.text.textContent = message;
    $("announcer").textContent = message;
  }

  async function ask(question) {
    const text = question.trim();
    if (!text || busy) return;
    busy = true;
    send.disabled = true;
    const welcome = $("welcome");
    if (welcome) welcome.classList.add("compact");
    addUserMessage(text);
    const view = addAssistantMessage();
    let streamed = "";
    let finished = false;
    try {
      await streamChat(text, conversationId, {
        meta(data) {
          if (data.conversation_id) conversationId = data.conversation_id;
        },
        delta(data) {
          streamed += data.text || "";
          view.text.textContent = streamed;
          scrollToEnd();
        },
        // The phrased text failed the fact check mid-stream: clear the bubble, the grounded
        // answer follows as new deltas.
        reset() {
          streamed = "";
          view.text.textContent = "";
        },
        async answer(data) {
          if (data.conversation_id) conversationId = data.conversation_id;
          finished = true;
          await namesLoaded;
          finish(view, data, text);
        },
        error(data, status) {
          // 404: the conversation expired (or the server forgot it): the next question
          // starts a new one instead of failing again.
          if (status === 404) conversationId = null;
          finished = true;
          fail(view, typeof data === "string" ? data : data.detail || "エラーが発生しました。");
        },
      });
      if (!finished) fail(view, "回答の受信が途中で終わりました。もう一度お試しください。");
    } catch (_) {
      fail(view, "サーバーに接続できませんでした。");
    } finally {
      busy = false;
      send.disabled = false;
      input.focus();
    }
  }

  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value;
    if (!question.trim()) {
      input.focus();
      return;
    }
    input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("chat-form").requestSubmit();
    }
  });
  for (const button of document.querySelectorAll(".example")) {
    button.addEventListener("click", () => ask(button.textContent));
  }
  $("new-conversation").addEventListener("click", () => {
    conversationId = null;
    for (const node of messages.querySelectorAll(".msg")) node.remove();
    const welcome = $("welcome");
    if (welcome) welcome.classList.remove("compact");
    input.focus();
  });

  // --- Tabs ----------------------------------------------------------------------------
  const tabs = [...document.querySelectorAll('.tabs [role="tab"]')];
  function selectTab(tab) {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !selected;
    }
    // A panel that shows live data (「未回答・要改善」) reloads it each time it is opened.
    $(tab.getAttribute("aria-controls")).dispatchEvent(new Event("tab-shown"));
  }
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const next = tabs[(index + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      selectTab(next);
      next.focus();
    });
  });

  // --- Staff view ----------------------------------------------------------------------
  let lastStaffAnswer = null;

  function sourceItem(item, index, withScore) {
    const li = el("li", "source");
    const head = el("div", "source-head");
    const title = el("strong", null, `${index + 1}. ${sourceTitle(item)}`);
    const tags = el("span", "tags");
    tags.append(el("span", "tag", KIND_LABELS[item.kind] || item.kind));
    const where = whereLabel(item);
    if (where) tags.append(el("span", "tag tag-muted", where));
    if (withScore) tags.append(el("span", "tag tag-muted", `score ${item.score.toFixed(3)}`));
    head.append(title, tags);
    const body = item.quote || item.text || "";
    const quote = el("blockquote", "quote", body.length > 280 ? `${body.slice(0, 280)}…` : body);
    const open = el("button", "link-button", "本文を開く");
    open.type = "button";
    open.addEventListener("click", () => openSource(item, open));
    li.append(head, quote, open);
    return li;
  }

  function copyText(answer) {
    const lines = [answer.answer, "", "出典："];
    answer.citations.forEach((c, i) => {
      lines.push(`[${i + 1}] ${sourceTitle(c)}（${whereLabel(c)}）「${c.quote}」`);
    });
    return lines.join("\n");
  }

  async function copyToClipboard(text) {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = el("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }

  $("staff-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = $("staff-input").value.trim();
    const answerBox = $("staff-answer");
    const sources = $("staff-sources");
    const meta = $("staff-meta");
    if (!question) return;
    answerBox.classList.remove("placeholder", "unanswerable");
    answerBox.textContent = "回答を作成中…";
    sources.replaceChildren();
    meta.textContent = "";
    $("copy-status").textContent = "";
    $("staff-copy").disabled = true;
    try {
      const response = await fetch("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question }),
      });
      if (!response.ok) {
        answerBox.textContent = await errorMessage(response);
        return;
      }
      const answer = await response.json();
      await namesLoaded;
      lastStaffAnswer = answer;
      answerBox.textContent = answer.answer;
      if (!answer.answerable) answerBox.classList.add("unanswerable");
      meta.textContent = `分類：${INTENT_LABELS[answer.intent] || answer.intent}　` +
        `回答可否：${answer.answerable ? "回答あり" : NOT_IN_REPORT}　` +
        `処理時間：${Math.round(answer.latency_ms)} ms`;
      answer.citations.forEach((c, i) => sources.append(sourceItem(c, i, false)));
      if (!answer.citations.length) sources.append(el("li", "empty", "出典はありません。"));
      $("staff-copy").disabled = false;
    } catch (_) {
      answerBox.textContent = "サーバーに接続できませんでした。";
    }
  });

  $("staff-copy").addEventListener("click", async () => {
    if (!lastStaffAnswer) return;
    try {
      await copyToClipboard(copyText(lastStaffAnswer));
      $("copy-status").textContent = "回答と出典をコピーしました。";
    } catch (_) {
      $("copy-status").textContent = "コピーできませんでした。";
    }
  });

  $("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = $("search-input").value.trim();
    const results = $("search-results");
    const status = $("search-status");
    if (!query) return;
    results.replaceChildren();
    status.textContent = "検索中…";
    try {
      const response = await fetch(`/api/search?${new URLSearchParams({ q: query, k: "10" })}`);
      if (!response.ok) {
        status.textContent = await errorMessage(response);
        return;
      }
      const body = await response.json();
      status.textContent = body.hits.length ? `${body.hits.length}件見つかりました。` : "見つかりませんでした。";
      body.hits.forEach((hit, i) => results.append(sourceItem(hit, i, true)));
    } catch (_) {
      status.textContent = "サーバーに接続できませんでした。";
    }
  });
})();
