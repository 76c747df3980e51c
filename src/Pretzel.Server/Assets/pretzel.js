/*! pretzel.js v1 - first-party tracking snippet for Pretzel (Segment-shaped messages).
 *
 * <script src="https://COLLECTOR/pretzel.js" data-write-key="WRITE_KEY" async></script>
 * Options: data-auto-page="false", data-cookie-domain=".example.com", data-debug
 *
 * Calls made before this file loads are replayed from an array stub, e.g.
 *   window.pretzel = window.pretzel || []; pretzel.push(["track", "Signed Up", {plan: "pro"}]);
 *
 * Messages go to POST <origin of this script>/v1/batch as text/plain JSON (a CORS "simple"
 * request, so no preflight) carrying the write key in the body.
 * Written in ES5 so old browsers parse it; every public call swallows its own errors.
 */
(function (w, d) {
  "use strict";
  var stub = w.pretzel;
  if (stub && stub.version) return; // already loaded

  var nav = w.navigator || {}, loc = w.location;
  var MAX_COUNT = 20, DELAY = 500, RETRIES = 3;
  var MAX_BATCH = 480000;   // bytes of messages per batch: the collector takes at most 500 KB
  var MAX_MESSAGE = 32000;  // Segment's per-message limit; larger messages are dropped
  var MAX_BEACON = 60000;   // browsers cap beacon / keepalive bodies at 64 KB

  // Our <script> tag: the running one, else (old browsers) the tagged one that loads pretzel.js.
  var el = d.currentScript, tags, t;
  if (!el || !el.getAttribute("data-write-key")) {
    tags = d.querySelectorAll("script[data-write-key]");
    el = tags[0];
    for (t = 0; t < tags.length; t++) if (/pretzel\.js/.test(tags[t].src)) el = tags[t];
  }
  function attr(name) { return el ? el.getAttribute(name) : null; }
  var KEY = attr("data-write-key");
  var DEBUG = attr("data-debug") != null;
  var COOKIE_DOMAIN = attr("data-cookie-domain");
  var ENDPOINT = el && el.src ? originOf(el.src) + "/v1/batch" : null;

  function warn(text, e) {
    if (DEBUG && w.console && console.warn) console.warn("[pretzel] " + text, e || "");
  }
  // Wraps a function so that no error ever reaches the host page.
  function safe(f) {
    return function () {
      try { return f.apply(null, arguments); } catch (e) { warn("error", e); }
    };
  }

  function originOf(src) {
    try { return new URL(src, loc.href).origin; } catch (e) { /* no URL() */ }
    var a = d.createElement("a");
    a.href = src;
    return a.protocol + "//" + a.host;
  }

  function uuid() {
    var c = w.crypto || w.msCrypto, b = w.Uint8Array ? new Uint8Array(16) : [], s = "", i;
    if (c && c.randomUUID) return c.randomUUID();
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 15) | 64;   // version 4
    b[8] = (b[8] & 63) | 128;  // RFC 4122 variant
    for (i = 0; i < 16; i++) s += (i === 4 || i === 6 || i === 8 || i === 10 ? "-" : "") + (b[i] + 256).toString(16).slice(1);
    return s;
  }

  // ---- ids: anonymous id in cookie pz_aid (+ localStorage copy), user id in localStorage pz_uid
  var ID = /^[\w-]{1,64}$/;
  function lsGet(k) { try { return w.localStorage.getItem(k); } catch (e) { return null; } }
  function lsSet(k, v) {
    try { if (v == null) w.localStorage.removeItem(k); else w.localStorage.setItem(k, v); } catch (e) { /* blocked */ }
  }
  function cookieAid() {
    try { var m = /(?:^|;\s*)pz_aid=([\w-]{1,64})(?:;|$)/.exec(d.cookie); return m && m[1]; } catch (e) { return null; }
  }
  function setAid(v) {
    aid = v;
    lsSet("pz_aid", v);
    try {
      d.cookie = "pz_aid=" + v + "; Path=/; Max-Age=31536000; Expires=" + new Date(+new Date() + 31536e6).toUTCString()
        + "; SameSite=Lax" + (COOKIE_DOMAIN ? "; Domain=" + COOKIE_DOMAIN : "") + (loc.protocol === "https:" ? "; Secure" : "");
    } catch (e) { /* cookies blocked */ }
  }
  var aid, stored = lsGet("pz_aid"), uid = lsGet("pz_uid");
  setAid(cookieAid() || (stored && ID.test(stored) ? stored : uuid())); // re-set to refresh the expiry

  // ---- message building
  var CAMPAIGN = { utm_source: "source", utm_medium: "medium", utm_campaign: "name", utm_content: "content",
    utm_term: "term", gclid: "gclid", fbclid: "fbclid", msclkid: "msclkid" };
  function decode(s) { try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch (e) { return s; } }
  function campaign() {
    var out, parts = loc.search.slice(1).split("&"), i, eq, k, v;
    for (i = 0; i < parts.length; i++) {
      eq = parts[i].indexOf("=");
      if (eq < 1) continue;
      k = decode(parts[i].slice(0, eq));
      v = decode(parts[i].slice(eq + 1));
      k = CAMPAIGN.hasOwnProperty(k) && CAMPAIGN[k];
      if (k && v && !(out && out[k])) (out = out || {})[k] = v; // first occurrence wins
    }
    return out;
  }
  function page() {
    return { url: loc.href, path: loc.pathname, referrer: d.referrer, title: d.title, search: loc.search };
  }
  function obj(o) { return o && typeof o === "object" ? o : {}; }

  function message(type, fields) {
    var m = { type: type, messageId: uuid(), timestamp: new Date().toISOString(), anonymousId: aid }, k, c;
    if (uid) m.userId = uid;
    for (k in fields) if (fields[k] !== undefined) m[k] = fields[k];
    m.context = { library: { name: "pretzel.js", version: "1" }, page: page(),
      userAgent: nav.userAgent, locale: nav.language || nav.userLanguage };
    if ((c = campaign())) m.context.campaign = c;
    // Serialised now, so later changes to the caller's objects are not sent.
    var s = JSON.stringify(m), n = bytes(s);
    if (n > MAX_MESSAGE) return warn("message over 32 KB dropped: " + type);
    queue.push({ s: s, n: n });
    if (queue.length >= MAX_COUNT) flush();
    else if (!timer) timer = setTimeout(safe(flush), DELAY);
  }

  // UTF-8 length of a string.
  function bytes(s) {
    for (var n = s.length, i = 0, c; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c > 127) n += c > 2047 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
    }
    return n;
  }

  // ---- sending
  var queue = [], retrying = [], timer;

  // Takes the next batch off the queue: at most 20 messages and `limit` bytes.
  function take(limit) {
    var out = [], size = 0;
    while (queue.length && out.length < MAX_COUNT && size + queue[0].n < limit) {
      size += queue[0].n + 1;
      out.push(queue.shift());
    }
    return out;
  }
  function body(batch) {
    var s = [], i;
    for (i = 0; i < batch.length; i++) s.push(batch[i].s);
    return '{"batch":[' + s.join(",") + '],"sentAt":"' + new Date().toISOString() + '","writeKey":' + JSON.stringify(KEY) + "}";
  }
  function ready() {
    if (ENDPOINT && KEY) return true;
    queue = [];
    warn("no data-write-key or script src: nothing is sent");
  }

  function flush() {
    clearTimeout(timer);
    timer = 0;
    if (!ready()) return;
    for (var b; (b = take(MAX_BATCH)).length;) send(b, 0);
  }

  // The page may be going away: send everything left (including batches waiting to retry) by beacon.
  function flushBeacon() {
    clearTimeout(timer);
    timer = 0;
    for (var r; (r = retrying.pop());) {
      clearTimeout(r.t);
      queue = r.b.concat(queue);
    }
    if (!ready()) return;
    for (var b; (b = take(MAX_BEACON)).length;) {
      if (!(nav.sendBeacon && w.Blob && nav.sendBeacon(ENDPOINT, new Blob([body(b)], { type: "text/plain" })))) send(b, 0);
    }
  }

  function send(batch, attempt) {
    var data = body(batch), x;
    function retry(why) {
      if (attempt >= RETRIES) return warn("batch dropped: " + why);
      var r = { b: batch };
      r.t = setTimeout(safe(function () {
        for (var i = 0; i < retrying.length; i++) if (retrying[i] === r) retrying.splice(i, 1);
        send(batch, attempt + 1);
      }), 1000 * Math.pow(2, attempt) * (1 + Math.random() / 2)); // ~1 s, 2 s, 4 s
      retrying.push(r);
    }
    function done(status) {
      if (!status || status === 429 || status >= 500) retry("HTTP " + status);
      else if (status >= 400) warn("batch rejected: HTTP " + status);
    }
    try {
      if (w.fetch) {
        w.fetch(ENDPOINT, { method: "POST", body: data, headers: { "Content-Type": "text/plain" },
          keepalive: bytes(data) < MAX_BEACON, credentials: "omit" })
          .then(function (res) { done(res.status); }, retry);
      } else {
        x = new XMLHttpRequest();
        x.open("POST", ENDPOINT, true);
        x.setRequestHeader("Content-Type", "text/plain");
        x.onreadystatechange = function () { if (x.readyState === 4) done(x.status); };
        x.send(data);
      }
    } catch (e) {
      retry(e);
    }
  }

  // ---- public API
  var api = {
    version: "1",
    page: function (name, properties) {
      if (name && typeof name === "object") { properties = name; name = null; }
      var p = page(), k, props = obj(properties);
      if (name != null) p.name = name = String(name);
      for (k in props) p[k] = props[k];
      message("page", { name: name == null ? undefined : name, properties: p });
    },
    track: function (event, properties) {
      if (!event) return warn("track() needs an event name");
      message("track", { event: String(event), properties: obj(properties) });
    },
    identify: function (userId, traits) {
      if (userId && typeof userId === "object") { traits = userId; userId = null; }
      if (userId != null && userId !== "") lsSet("pz_uid", uid = String(userId));
      message("identify", { traits: obj(traits) });
    },
    alias: function (userId, previousId) {
      if (userId == null || userId === "") return warn("alias() needs a user id");
      message("alias", { userId: String(userId), previousId: previousId != null ? String(previousId) : uid || aid });
    },
    reset: function () {
      uid = null;
      lsSet("pz_uid", null);
      setAid(uuid());
    },
    anonymousId: function () { return aid; },
    flush: flush,
    // pretzel.push(["track", ...]) keeps working after load.
    push: function (call) {
      var f = call && call[0] !== "push" && call[0] !== "version" && api[call[0]];
      if (f) return f.apply(null, [].slice.call(call, 1));
    }
  };
  for (var name in api) if (typeof api[name] === "function") api[name] = safe(api[name]);
  w.pretzel = api;

  if (w.addEventListener) {
    d.addEventListener("visibilitychange", safe(function () { if (d.visibilityState === "hidden") flushBeacon(); }));
    w.addEventListener("pagehide", safe(flushBeacon));
  }

  if (attr("data-auto-page") !== "false") api.page();
  if (stub && stub.length) for (var i = 0; i < stub.length; i++) api.push(stub[i]);
})(window, document);
