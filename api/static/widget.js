/*! policyqa chat widget — cited answers from government policy notices.
 * Embed: <script src="https://<service>/widget.js" data-api="https://<service>" async></script>
 * Options (data-*): api, title, accent, position (right|left), questions ("a|b|c"), lang (zh|en),
 * timeout (milliseconds to wait for an answer, 20000 by default).
 * Plain JavaScript, no dependencies. Styles live in a Shadow DOM as a constructable stylesheet,
 * so host CSS cannot reach in and a strict style-src CSP does not block them. Every string from
 * the API is inserted as a text node: nothing is ever parsed as HTML.
 * Every question is sent with channel "widget"; every answer card has 有帮助 / 没帮助 buttons
 * (没帮助 with a reason and a comment) that rate it once through POST /v1/feedback.
 */
(function () {
  "use strict";
  if (window.__policyqaWidget) { return; }
  window.__policyqaWidget = true;

  var maxQuestion = 0; // the question rule comes from the service (GET /v1/limits), not a copy
  // The conversation this page is having: sent with every question so that a follow-up
  // (谁牵头, 什么时候完成, 那福州呢) is read against the previous answer. Kept in memory only,
  // for as long as the page is open.
  var conversationId = null;
  var STRINGS = {
    zh: {
      title: "政策问答", open: "政策问答", close: "关闭", input: "输入您的问题",
      placeholder: "请输入问题，按 Enter 发送", send: "发送", log: "对话记录",
      intro: "您好！我根据已收录的政策文件回答问题，每个回答都注明出处条款、责任单位和完成时限。",
      tryThese: "可以试试这样问：", thinking: "正在查找政策原文…",
      quote: "原文", units: "责任单位", lead: "牵头", deadline: "完成时限",
      more: "更多依据", showClause: "展开条款全文", hideClause: "收起条款全文",
      yes: "是", no: "否", verdict: "结论",
      notFound: "抱歉，已收录的政策文件中没有找到这个问题的答案。",
      related: "您也可以问：", retry: "重试", you: "您的问题",
      answerLabel: "回答", network: "网络连接失败，请检查网络后重试。",
      timeout: "服务响应超时，请重试。", server: "服务暂时不可用，请稍后重试。",
      busy: "提问太频繁了，请稍候再试", seconds: "秒", invalid: "这个问题无法处理：",
      empty: "请先输入问题。", tooLong: "问题太长了，请精简到 {n} 字以内。",
      rate: "这个回答有帮助吗？", up: "有帮助", down: "没帮助", upLabel: "这个回答有帮助",
      downLabel: "这个回答没帮助", why: "哪里没帮助？（选填）",
      reasons: ["答非所问", "条款过时", "没说清楚", "其他"], comment: "补充说明（选填，500字以内）",
      submit: "提交", sending: "正在提交…", thanks: "感谢反馈！",
      fbFailed: "反馈没有送出，请重试。", fbBusy: "提交太频繁了，请稍候再试",
      fbGone: "找不到这个回答，反馈没有送出。"
    },
    en: {
      title: "Policy Q&A", open: "Policy Q&A", close: "Close", input: "Your question",
      placeholder: "Type a question and press Enter", send: "Send", log: "Conversation",
      intro: "Hello! I answer from the published policy notices and cite the clause, the responsible units and the deadline.",
      tryThese: "Try asking:", thinking: "Searching the notices…",
      quote: "Quote", units: "Responsible units", lead: "lead", deadline: "Deadline",
      more: "More sources", showClause: "Show the full clause", hideClause: "Hide the full clause",
      yes: "Yes", no: "No", verdict: "Verdict",
      notFound: "Sorry, the notices do not answer this question.",
      related: "You could ask:", retry: "Retry", you: "Your question",
      answerLabel: "Answer", network: "Network error. Check your connection and retry.",
      timeout: "The service took too long to answer. Please retry.",
      server: "The service is unavailable right now. Please retry later.",
      busy: "Too many questions; please wait", seconds: "s", invalid: "This question cannot be handled: ",
      empty: "Please type a question first.", tooLong: "The question is too long ({n} characters at most).",
      rate: "Was this answer helpful?", up: "Helpful", down: "Not helpful",
      upLabel: "Helpful answer", downLabel: "Not helpful answer", why: "What was wrong? (optional)",
      reasons: ["Off topic", "Outdated clause", "Unclear", "Other"],
      comment: "Comment (optional, 500 characters at most)", submit: "Submit",
      sending: "Sending…", thanks: "Thanks for your feedback!",
      fbFailed: "The feedback was not sent. Please retry.", fbBusy: "Too many ratings; please wait",
      fbGone: "This answer is unknown to the service; the feedback was not sent."
    }
  };

  var STYLES = [
    ":host{all:initial!important;position:fixed!important;z-index:2147483000!important;",
    "bottom:20px!important;display:block!important;visibility:visible!important;opacity:1!important;",
    "font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',system-ui,sans-serif!important;",
    "font-size:15px!important;line-height:1.6!important;color:#1f2328!important;",
    "--pq-accent:#b4232a}",
    ":host(.right){right:20px!important}:host(.left){left:20px!important}",
    "*,*::before,*::after{box-sizing:border-box}",
    "[hidden]{display:none!important}",
    "button{font:inherit;cursor:pointer}",
    "button:focus-visible,textarea:focus-visible,summary:focus-visible,.log:focus-visible,",
    "input:focus-visible,.fb-status:focus-visible{",
    "outline:3px solid #1a5fb4;outline-offset:2px}",
    ".launcher{display:flex;align-items:center;gap:6px;border:0;border-radius:24px;",
    "padding:12px 18px;background:var(--pq-accent);color:#fff;font-size:15px;font-weight:600;",
    "box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".launcher svg{width:20px;height:20px;fill:currentColor}",
    ".panel{position:absolute;bottom:0;width:380px;height:min(600px,calc(100vh - 40px));",
    "display:flex;flex-direction:column;background:#fff;border:1px solid #d0d7de;",
    "border-radius:12px;box-shadow:0 12px 32px rgba(0,0,0,.25);overflow:hidden}",
    ":host(.right) .panel{right:0}:host(.left) .panel{left:0}",
    ".head{display:flex;align-items:center;justify-content:space-between;padding:10px 14px;",
    "background:var(--pq-accent);color:#fff}",
    ".head h2{margin:0;font-size:16px;font-weight:600}",
    ".close{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;",
    "width:36px;height:36px;border-radius:6px}",
    ".log{flex:1;overflow-y:auto;padding:12px;background:#f6f8fa}",
    ".msg{margin:0 0 12px;max-width:100%}",
    ".user{margin-left:auto;width:fit-content;max-width:85%;background:var(--pq-accent);",
    "color:#fff;padding:8px 12px;border-radius:12px 12px 2px 12px;white-space:pre-wrap;",
    "word-break:break-word}",
    ".bot{background:#fff;border:1px solid #d0d7de;border-radius:12px 12px 12px 2px;",
    "padding:10px 12px;word-break:break-word}",
    ".bot p{margin:0 0 6px}",
    ".direct{font-weight:700;font-size:16px}",
    ".badge{display:inline-block;margin-right:6px;padding:0 8px;border-radius:10px;",
    "font-size:13px;font-weight:700;vertical-align:1px}",
    ".badge.yes{background:#dafbe1;color:#116329}.badge.no{background:#ffebe9;color:#a40e26}",
    "blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid var(--pq-accent);",
    "background:#f6f8fa;color:#1f2328}",
    ".label{display:block;text-align:left;border:0;background:none;padding:0;color:#0b57a4;",
    "text-decoration:underline;font-size:14px}",
    ".clause-text{margin:6px 0;padding:8px;border:1px dashed #8c959f;border-radius:6px;",
    "font-size:13px;white-space:pre-wrap;max-height:240px;overflow-y:auto}",
    ".meta{font-size:13px;color:#424a53}",
    ".meta strong{color:#1f2328}",
    ".lead{font-weight:700;color:#1f2328}",
    "details{margin-top:8px;border-top:1px solid #d8dee4;padding-top:6px}",
    "summary{cursor:pointer;color:#0b57a4;font-size:14px}",
    ".cite{margin-top:8px}",
    ".notfound{border-color:#bf8700;background:#fff8c5}",
    ".error{border-color:#cf222e;background:#ffebe9;color:#82071e}",
    ".retry,.chip{border:1px solid var(--pq-accent);background:#fff;color:#1f2328;",
    "border-radius:14px;padding:3px 10px;margin:4px 6px 0 0;font-size:13px;text-align:left}",
    ".chips{display:flex;flex-wrap:wrap}",
    ".pending{color:#57606a;font-style:italic}",
    ".fb{margin-top:8px;border-top:1px solid #d8dee4;padding-top:6px;font-size:13px;color:#424a53}",
    ".fb-q{margin-right:6px}",
    ".fb-btn,.fb-send{border:1px solid #8c959f;background:#fff;color:#1f2328;border-radius:14px;",
    "padding:2px 10px;margin:4px 6px 0 0;font-size:13px}",
    ".fb-send{background:var(--pq-accent);border-color:var(--pq-accent);color:#fff;font-weight:600}",
    ".fb-btn[aria-pressed=true]{border-color:var(--pq-accent);box-shadow:inset 0 0 0 1px var(--pq-accent);",
    "font-weight:700}",
    ".fb button:disabled{cursor:default;color:#424a53}",
    ".fb fieldset{border:0;margin:6px 0 0;padding:0}.fb legend{padding:0}",
    ".fb-r{display:inline-flex;align-items:center;gap:2px;margin-right:10px}",
    ".fb-c{display:block;margin-top:4px}",
    ".fb textarea{display:block;width:100%;min-height:52px;font-size:14px;margin:2px 0 4px}",
    ".fb .fb-status{margin:4px 0 0}.fb-status:empty{display:none}.fb-error{color:#82071e}",
    ".composer{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d7de;background:#fff}",
    "textarea{flex:1;resize:none;font:inherit;font-size:15px;padding:8px;border:1px solid #8c959f;",
    "border-radius:8px;min-height:40px;max-height:120px;color:#1f2328;background:#fff}",
    ".send{border:0;border-radius:8px;padding:0 14px;background:var(--pq-accent);color:#fff;",
    "font-weight:600}",
    ".send:disabled{opacity:.6;cursor:wait}",
    ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;",
    "clip:rect(0,0,0,0);white-space:nowrap;border:0}",
    "@media (max-width:480px){:host{bottom:12px!important}",
    ":host(.right){right:12px!important}:host(.left){left:12px!important}",
    ".panel{position:fixed;left:8px;right:8px;bottom:8px;top:8px;width:auto;height:auto}}"
  ].join("");

  function findScript() {
    if (document.currentScript) { return document.currentScript; }
    var scripts = document.querySelectorAll("script[src]");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(scripts[i].getAttribute("src") || "")) { return scripts[i]; }
    }
    return null;
  }

  var script = findScript();
  var data = script ? script.dataset : {};
  var lang = data.lang === "en" ? "en" : "zh";
  var T = STRINGS[lang];
  var api = (data.api || (script ? new URL(script.src, location.href).origin : location.origin))
    .replace(/\/+$/, "");
  var title = data.title || T.title;
  var position = data.position === "left" ? "left" : "right";
  var accent = data.accent && window.CSS && CSS.supports("color", data.accent) ? data.accent : null;
  var TIMEOUT_MS = parseInt(data.timeout || "", 10) > 0 ? parseInt(data.timeout, 10) : 20000;
  var starters = (data.questions || "").split("|").map(function (q) { return q.trim(); })
    .filter(function (q) { return q.length > 0; });

  // Build elements without HTML parsing: every text value becomes a text node.
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key === "class") { node.className = value; }
        else if (key === "text") { node.textContent = value; }
        else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
        else { node.setAttribute(key, value === true ? "" : String(value)); }
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  var host = document.createElement("policyqa-widget");
  host.className = position;
  var root = host.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in root && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(el("style", { text: STYLES }));  // old browsers; a strict CSP may block this
  }
  if (accent) { host.style.setProperty("--pq-accent", accent); }  // CSSOM, allowed under CSP

  var uid = "pq" + Math.random().toString(36).slice(2, 8);
  var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": T.log,
    tabindex: "0" });
  var input = el("textarea", { id: uid + "-q", rows: "1", 
    placeholder: T.placeholder, autocomplete: "off" });
  var send = el("button", { type: "submit", "class": "send", text: T.send });
  var form = el("form", { "class": "composer" }, [
    el("label", { "for": uid + "-q", "class": "sr-only", text: T.input }), input, send]);
  var close = el("button", { type: "button", "class": "close", "aria-label": T.close, text: "×" });
  var panel = el("div", { "class": "panel", id: uid + "-panel", role: "dialog",
    "aria-modal": "false", "aria-labelledby": uid + "-title", hidden: true, lang: lang === "en" ? "en" : "zh-CN" }, [
    el("div", { "class": "head" }, [el("h2", { id: uid + "-title", text: title }), close]),
    log, form]);
  var launcher = el("button", { type: "button", "class": "launcher", "aria-haspopup": "dialog",
    "aria-expanded": "false", "aria-controls": uid + "-panel" }, [icon(), el("span", { text: title })]);
  root.appendChild(launcher);
  root.appendChild(panel);

  var started = false;
  var busy = false;

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function add(node) { log.appendChild(node); scrollDown(); return node; }

  function chips(questions) {
    return el("div", { "class": "chips" }, questions.map(function (q) {
      return el("button", { type: "button", "class": "chip", text: q, onclick: function () { ask(q); } });
    }));
  }

  function loadStarters(target) {
    if (starters.length) { target.appendChild(el("p", { text: T.tryThese })); target.appendChild(chips(starters)); return; }
    request("GET", "/v1/suggestions").then(function (body) {
      var questions = body && Array.isArray(body.questions) ? body.questions.filter(function (q) {
        return typeof q === "string"; }).slice(0, 4) : [];
      if (questions.length) {
        starters = questions;
        target.appendChild(el("p", { text: T.tryThese }));
        target.appendChild(chips(questions));
        scrollDown();
      }
    }, function () { /* starters are optional; asking still works */ });
  }

  function loadLimits() {
    request("GET", "/v1/limits").then(function (body) {
      if (body && typeof body.max_question === "number" && body.max_question > 0) {
        maxQuestion = body.max_question;
        input.setAttribute("maxlength", String(maxQuestion));
      }
    }, function () { /* the service still refuses what is too long */ });
  }

  function openPanel() {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    if (!started) {
      started = true;
      loadLimits();
      var intro = add(el("div", { "class": "msg bot" }, [el("p", { text: T.intro })]));
      loadStarters(intro);
    }
    input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function ApiError(kind, status, detail, retryAfter) {
    this.kind = kind; this.status = status; this.detail = detail; this.retryAfter = retryAfter;
  }

  function request(method, path, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    var options = { method: method, headers: { "Accept": "application/json" }, credentials: "omit",
      signal: controller ? controller.signal : undefined };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(api + path, options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        if (response.ok && (json || response.status === 204)) { return json || {}; }
        var detail = json && typeof json.detail === "string" ? json.detail : "";
        if (response.status === 429) {
          throw new ApiError("busy", 429, detail, parseInt(response.headers.get("Retry-After") || "", 10));
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408) {
          throw new ApiError("invalid", response.status, detail);
        }
        throw new ApiError("server", response.status, detail);
      });
    }, function (error) {
      throw new ApiError(error && error.name === "AbortError" ? "timeout" : "network", 0, "");
    }).finally(function () { if (timer) { clearTimeout(timer); } });
  }

  function unitsLine(units) {
    if (!units || !units.length) { return null; }
    var parts = [el("strong", { text: T.units + "：" })];
    units.forEach(function (unit, i) {
      if (i) { parts.push(lang === "en" ? ", " : "、"); }
      parts.push(el("span", { "class": unit.lead ? "lead unit" : "unit", text: String(unit.name) }));
      if (unit.lead) { parts.push(lang === "en" ? " (" + T.lead + ")" : "（" + T.lead + "）"); }
    });
    return el("p", { "class": "meta" }, parts);
  }

  function deadlineLine(deadline) {
    if (!deadline) { return null; }
    return el("p", { "class": "meta" }, [el("strong", { text: T.deadline + "：" }), String(deadline)]);
  }

  // The clause's label and its id, as every channel names it: 七、（一）创新养老…（7.1）.
  function clauseName(citation) {
    var label = String(citation.label || ""), id = String(citation.clause_id || "");
    if (!label) { return id; }
    return id ? label + (lang === "en" ? " (" + id + ")" : "（" + id + "）") : label;
  }

  function citationBlock(citation, index) {
    var textId = uid + "-c" + (++citationBlock.count);
    var full = el("div", { "class": "clause-text", id: textId, hidden: true, tabindex: "0", text: String(citation.text || "") });
    var toggle = el("button", { type: "button", "class": "label", "aria-expanded": "false",
      "aria-controls": textId, title: T.showClause, text: clauseName(citation) });
    toggle.addEventListener("click", function () {
      var open = full.hidden;
      full.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.title = open ? T.hideClause : T.showClause;
    });
    return el("div", { "class": index ? "cite" : "cite first" }, [
      toggle,
      citation.quote ? el("blockquote", { text: String(citation.quote) }) : null,
      full,
      unitsLine(citation.units),
      deadlineLine(citation.deadline)
    ]);
  }
  citationBlock.count = 0;

  // 有帮助 / 没帮助 under an answer: one rating per answer, POST /v1/feedback. A failure says
  // so under the buttons and leaves them usable, so the user can try again. The reasons form is
  // in the page only while it is open.
  var REASONS = ["off_topic", "outdated", "unclear", "other"];
  function feedbackBar(answerId) {
    var n = uid + "-f" + (++feedbackBar.count), sending = false, done = false;
    var status = el("p", { "class": "fb-status", role: "status", tabindex: "-1" });
    var up = el("button", { type: "button", "class": "fb-btn up", "aria-pressed": "false",
      "aria-label": T.upLabel, text: T.up });
    var down = el("button", { type: "button", "class": "fb-btn down", "aria-pressed": "false",
      "aria-label": T.downLabel, "aria-expanded": "false", text: T.down });
    var radios = REASONS.map(function (reason) {
      return el("input", { type: "radio", name: n + "-r", value: reason });
    });
    var comment = el("textarea", { id: n + "-c", rows: "2", maxlength: "500" });
    var submit = el("button", { type: "submit", "class": "fb-send", text: T.submit });
    var form = el("form", { "class": "fb-form", id: n }, [
      el("fieldset", null, [el("legend", { text: T.why })].concat(radios.map(function (radio, i) {
        return el("label", { "class": "fb-r" }, [radio, T.reasons[i]]);
      }))),
      el("label", { "class": "fb-c", "for": n + "-c", text: T.comment }), comment, submit]);
    var bar = el("div", { "class": "fb", role: "group", "aria-labelledby": n + "-q" }, [
      el("span", { "class": "fb-q", id: n + "-q", text: T.rate }), up, down, status]);

    function showForm(open) {
      if (open) { bar.insertBefore(form, status); down.setAttribute("aria-controls", n); }
      else { form.remove(); down.removeAttribute("aria-controls"); }
      down.setAttribute("aria-pressed", open ? "true" : "false");
      down.setAttribute("aria-expanded", open ? "true" : "false");
    }

    function rate(body, chosen) {
      if (sending || done) { return; }
      sending = true;
      status.className = "fb-status";
      status.textContent = T.sending;
      body.answer_id = answerId;
      request("POST", "/v1/feedback", body).then(function () {
        done = true;
        var inside = bar.contains(root.activeElement);
        showForm(false);
        up.setAttribute("aria-pressed", chosen === up ? "true" : "false");
        down.setAttribute("aria-pressed", chosen === down ? "true" : "false");
        up.disabled = down.disabled = true;
        status.textContent = T.thanks;
        if (inside) { status.focus(); }
      }, function (error) {
        var message = T.fbFailed;
        if (error && error.kind === "busy") {
          message = T.fbBusy + (error.retryAfter > 0 ? "（" + error.retryAfter + T.seconds + "）" : "") + "。";
        } else if (error && error.status === 404) {
          message = T.fbGone;
        }
        status.className = "fb-status fb-error";
        status.textContent = message;
      }).finally(function () { sending = false; });
    }

    up.addEventListener("click", function () {
      if (sending || done) { return; }
      showForm(false);
      rate({ rating: "up" }, up);
    });
    down.addEventListener("click", function () {
      if (sending || done) { return; }
      showForm(!form.isConnected);
      if (form.isConnected) { radios[0].focus(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { rating: "down" }, text = comment.value.trim().slice(0, 500);
      radios.forEach(function (radio) { if (radio.checked) { body.reason = radio.value; } });
      if (text) { body.comment = text; }
      rate(body, down);
    });
    return bar;
  }
  feedbackBar.count = 0;

  function answerCard(answer) {
    var card = answerBody(answer);
    if (answer && typeof answer.answer_id === "string" && answer.answer_id) {
      card.appendChild(feedbackBar(answer.answer_id));
    }
    return card;
  }

  function answerBody(answer) {
    var citations = Array.isArray(answer.citations) ? answer.citations : [];
    if (answer.status !== "answered" || !citations.length) {
      var card = el("article", { "class": "msg bot notfound", "aria-label": T.answerLabel }, [
        el("p", { "class": "direct", text: T.notFound })]);
      if (starters.length) { card.appendChild(el("p", { text: T.related })); card.appendChild(chips(starters)); }
      return card;
    }
    var direct = String(answer.answer || "").split("\n")[0];
    var badge = answer.verdict === "yes" || answer.verdict === "no" ? el("span", {
      "class": "badge " + answer.verdict }, [el("span", { "class": "sr-only", text: T.verdict + "：" }),
      T[answer.verdict]]) : null;
    var first = citations[0];
    var node = el("article", { "class": "msg bot", "aria-label": T.answerLabel }, [
      el("p", { "class": "direct" }, [badge, direct]),
      citationBlock(first, 0)
    ]);
    if (!first.deadline && answer.deadline) { node.appendChild(deadlineLine(answer.deadline)); }
    if (citations.length > 1) {
      var more = el("details", null, [el("summary", { text: T.more + "（" + (citations.length - 1) + "）" })]);
      citations.slice(1).forEach(function (citation, i) { more.appendChild(citationBlock(citation, i + 1)); });
      node.appendChild(more);
    }
    return node;
  }

  function errorCard(error, question) {
    var message = T[error.kind] || T.server;
    if (error.kind === "busy") {
      message = T.busy + (error.retryAfter > 0 ? "（" + error.retryAfter + T.seconds + "）" : "") + "。";
    } else if (error.kind === "invalid") {
      message = T.invalid + (error.detail || error.status);
    }
    var card = el("div", { "class": "msg bot error", role: "alert" }, [el("p", { text: message })]);
    if (error.kind !== "invalid") {
      var retry = el("button", { type: "button", "class": "retry", text: T.retry });
      retry.addEventListener("click", function () { card.remove(); ask(question, true); });
      card.appendChild(retry);
    }
    return card;
  }

  function ask(raw, again) {
    var question = String(raw || "").trim();
    if (busy) { return; }
    if (!question) { add(el("div", { "class": "msg bot error", role: "alert" }, [el("p", { text: T.empty })])); return; }
    if (maxQuestion && question.length > maxQuestion) {
      add(el("div", { "class": "msg bot error", role: "alert" },
             [el("p", { text: T.tooLong.replace("{n}", String(maxQuestion)) })]));
      return;
    }
    if (!again) { add(el("div", { "class": "msg user" }, [el("span", { "class": "sr-only", text: T.you + "：" }), question])); }
    busy = true;
    send.disabled = true;
    var pending = add(el("div", { "class": "msg bot pending", "aria-busy": "true", text: T.thinking }));
    var body = { question: question, channel: "widget" };
    if (conversationId) { body.conversation_id = conversationId; }
    request("POST", "/v1/ask", body).then(function (answer) {
      if (answer && typeof answer.conversation_id === "string") { conversationId = answer.conversation_id; }
      add(answerCard(answer));
    }, function (error) {
      add(errorCard(error instanceof ApiError ? error : new ApiError("server", 0, ""), question));
    }).finally(function () {
      pending.remove();
      busy = false;
      send.disabled = false;
    });
  }

  launcher.addEventListener("click", openPanel);
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); closePanel(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value;
    if (busy) { return; }
    input.value = "";
    ask(question);
  });
  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms an IME candidate is not a send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  function mount() { document.body.appendChild(host); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
