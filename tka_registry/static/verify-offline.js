// The offline verifier (/verify/offline, issue 20): checks a permit token's Ed25519 signature
// in the browser (WebCrypto, no library), with the key set of /verify/keys and the signed
// status list of /verify/status kept in localStorage from the last time there was a network.
// Token version 2: kid|signed_at|number|mask|nationality|valid_from|expires_on|status_index.
"use strict";

const KEYS = "tka.verify.keys";
const STATUS = "tka.verify.status";
const GRACE_SECONDS = 60; // documents/keys.py ROTATION_GRACE
const HEADLINES = {
  valid: ["Izin tinggal SAH dan BERLAKU", "Stay permit is GENUINE and VALID"],
  not_yet_valid: ["Izin tinggal SAH tetapi BELUM BERLAKU", "Stay permit is GENUINE but NOT YET IN FORCE"],
  expired: ["Izin tinggal telah BERAKHIR", "Stay permit has EXPIRED"],
  revoked: ["Izin tinggal telah DICABUT atau DIGANTI", "Stay permit has been REVOKED or SUPERSEDED"],
  invalid: ["Kode TIDAK SAH", "Code is NOT GENUINE"],
};
const PATTERNS = {
  kid: /^[a-z2-7]{16}$/, number: /^(0|[1-9][0-9]{0,11})$/, permit: /^[A-Z0-9][A-Z0-9./-]{0,39}$/,
  mask: /^([A-Z][0-9]{1,2}){1,8}$/, nationality: /^[A-Z]{1,3}$/, day: /^\d{4}-\d{2}-\d{2}$/,
  initials: /^[A-Z]{1,8}$/,
};

function read(name) {
  try { return JSON.parse(localStorage.getItem(name)); } catch (error) { return null; }
}

function bytesOf(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new Error("not base64url");
  }
  let padded = text.replace(/-/g, "+").replace(/_/g, "/");
  while (padded.length % 4) padded += "=";
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  // Only the one canonical encoding (as the server checks): no spare low bits set.
  let again = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  if (again !== text) throw new Error("not canonical base64url");
  return bytes;
}

function jakartaToday() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(new Date());
}

function inUse(key, signedAt) {
  const signed = signedAt * 1000;
  if (signed < Date.parse(key.valid_from) - GRACE_SECONDS * 1000) return false;
  return !key.retired_on || signed <= Date.parse(key.retired_on) + GRACE_SECONDS * 1000;
}

async function signatureHolds(key, signature, payload) {
  const publicKey = await crypto.subtle.importKey(
    "raw", bytesOf(key.public_key_raw), { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature, payload);
}

// The payload of "<base64url payload>.<base64url signature>" when a key of the set signed it
// while in use (version 2 names the kid; checked by ``kidOf``), else null.
async function signedPayload(blob, keys, kidOf) {
  const parts = String(blob).split(".");
  if (parts.length !== 2 || blob.length > 200000) return null;
  const payload = bytesOf(parts[0]);
  const signature = bytesOf(parts[1]);
  if (signature.length !== 64) return null;
  const text = new TextDecoder("ascii", { fatal: true }).decode(payload);
  const named = kidOf(text);
  const candidates = named ? keys.filter((key) => key.kid === named.kid) : keys;
  for (const key of candidates) {
    if (await signatureHolds(key, signature, payload)) {
      if (named && !inUse(key, named.signedAt)) return null;
      return text;
    }
  }
  return null;
}

function tokenFields(text) {
  const parts = text.split("|");
  if (parts.length === 9 && parts[0] === "2") {
    const [, kid, signedAt, number, mask, nationality, validFrom, expiresOn, index] = parts;
    const ok = PATTERNS.kid.test(kid) && PATTERNS.number.test(signedAt) && PATTERNS.permit.test(number)
      && PATTERNS.mask.test(mask) && PATTERNS.nationality.test(nationality)
      && PATTERNS.day.test(validFrom) && PATTERNS.day.test(expiresOn) && PATTERNS.number.test(index);
    if (!ok) return null;
    return { kid, signedAt: Number(signedAt), number, mask, nationality, validFrom, expiresOn,
      index: Number(index) };
  }
  if (parts.length === 5 && parts[0] === "1") {  // before keys were named: no status index
    const [, number, initials, nationality, expiresOn] = parts;
    const ok = PATTERNS.permit.test(number) && PATTERNS.initials.test(initials)
      && PATTERNS.nationality.test(nationality) && PATTERNS.day.test(expiresOn);
    if (!ok) return null;
    return { kid: null, number, mask: initials.split("").map((ch) => ch + "1").join(""),
      nationality, validFrom: null, expiresOn, index: null };
  }
  return null;
}

function maskedName(mask) {
  return (mask.match(/[A-Z][0-9]{1,2}/g) || [])
    .map((part) => part[0] + "*".repeat(Math.max(0, Number(part.slice(1)) - 1))).join(" ");
}

async function statusBits(keys) {
  const kept = read(STATUS);
  if (!kept || !kept.status_list) return { missing: true };
  const text = await signedPayload(kept.status_list, keys, (payload) => {
    const list = JSON.parse(payload);
    return { kid: list.kid, signedAt: Math.floor(Date.parse(list.issued_at) / 1000) };
  });
  if (!text) return { tampered: true };
  const list = JSON.parse(text);
  if (list.type !== "BitstringStatusList" || typeof list.encoded_list !== "string" || list.encoded_list[0] !== "u") {
    return { tampered: true };
  }
  const zipped = bytesOf(list.encoded_list.slice(1));
  const stream = new Blob([zipped]).stream().pipeThrough(new DecompressionStream("gzip"));
  const bits = new Uint8Array(await new Response(stream).arrayBuffer());
  return { bits, issuedAt: list.issued_at, asOf: list.as_of };
}

function isSet(bits, index) {
  const byte = Math.floor(index / 8);
  return byte < bits.length && (bits[byte] & (0x80 >> (index % 8))) !== 0;
}

async function check(input) {
  const token = String(input || "").trim().split("/").pop().split("#").pop();
  const keys = (read(KEYS) || {}).keys || [];
  if (!token) return { outcome: "none" };
  if (!keys.length) return { outcome: "invalid", reason: "Belum ada kunci kantor: buka halaman ini sekali dengan jaringan. / No office keys yet: open this page once with a network." };
  let fields = null;
  try {
    const text = await signedPayload(token, keys, (payload) => {
      const named = tokenFields(payload);
      return named && named.kid ? { kid: named.kid, signedAt: named.signedAt } : null;
    });
    fields = text ? tokenFields(text) : null;
  } catch (error) {
    fields = null;
  }
  if (!fields) return { outcome: "invalid" };
  let status;
  try {
    status = await statusBits(keys);
  } catch (error) {
    status = { tampered: true };
  }
  if (status.tampered) {
    return { outcome: "invalid", reason: "Daftar status tidak sah (diubah). / The status list is not genuine (altered)." };
  }
  const today = jakartaToday();
  let outcome = "valid";
  if (status.bits && fields.index !== null && isSet(status.bits, fields.index)) outcome = "revoked";
  else if (fields.validFrom && today < fields.validFrom) outcome = "not_yet_valid";
  else if (today > fields.expiresOn) outcome = "expired";
  return { outcome, fields, status };
}

function age(issuedAt) {
  const hours = Math.max(0, Math.floor((Date.now() - Date.parse(issuedAt)) / 3600000));
  return hours < 48 ? `${hours} jam / ${hours} hours` : `${Math.floor(hours / 24)} hari / ${Math.floor(hours / 24)} days`;
}

function show(result) {
  const verdict = document.getElementById("verdict");
  verdict.dataset.outcome = result.outcome;
  verdict.className = "verdict " + result.outcome;
  const headline = HEADLINES[result.outcome];
  if (headline) {
    document.getElementById("headline").textContent = headline[0];
    document.getElementById("headline-en").textContent = headline[1];
  }
  document.getElementById("reason").textContent = result.reason || "";
  const details = document.getElementById("details");
  details.hidden = !result.fields;
  if (result.fields) {
    document.getElementById("permit-number").textContent = result.fields.number;
    document.getElementById("holder").textContent = maskedName(result.fields.mask);
    document.getElementById("nationality").textContent = result.fields.nationality;
    document.getElementById("valid-from").textContent = result.fields.validFrom || "-";
    document.getElementById("expires-on").textContent = result.fields.expiresOn;
  }
  if (result.status && result.status.asOf) {
    document.getElementById("reason").textContent =
      `Status per ${result.status.asOf} (daftar berumur ${age(result.status.issuedAt)}). / Status as of ${result.status.asOf}.`;
  }
}

function showSync() {
  const kept = read(STATUS);
  const sync = document.getElementById("sync");
  if (kept && kept.fetched_at) {
    sync.dataset.synced = "yes";
    sync.textContent = `Daftar status diunduh ${new Date(kept.fetched_at).toISOString()} (${age(kept.fetched_at)} lalu). / Status list downloaded ${age(kept.fetched_at)} ago.`;
  }
}

async function sync() {
  try {
    const [keys, status] = await Promise.all(
      ["/verify/keys", "/verify/status"].map((url) => fetch(url, { cache: "no-store" }).then((r) => {
        if (!r.ok) throw new Error(url);
        return r.json();
      })));
    localStorage.setItem(KEYS, JSON.stringify(keys));
    localStorage.setItem(STATUS, JSON.stringify({ ...status, fetched_at: new Date().toISOString() }));
  } catch (error) {
    // Offline: keep what the last sync stored.
  }
  showSync();
}

async function run(input) {
  try {
    show(await check(input));
  } catch (error) {
    show({ outcome: "invalid" });  // whatever the input, an answer and never a broken page
  }
}

function fragment() {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch (error) {
    return location.hash.slice(1) || "%";  // not even a URL escape: checked, found invalid
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/verify/offline-sw.js", { scope: "/verify/" }).catch(() => {});
  }
  await sync();
  document.body.dataset.ready = "yes";
  await run(fragment());
  window.addEventListener("hashchange", () => run(fragment()));
  document.getElementById("paste").addEventListener("submit", (event) => {
    event.preventDefault();
    run(document.getElementById("token").value);
  });
});
