"""CSS selectors as data, grouped by theme family, tried in order.

Extraction code asks this module *what* to look for; it never hard-codes a
theme's class names.  Order within each tuple is priority: WordPress core
markup first, then block themes, then older/WordPress.com theme families.
Adding support for a theme family means adding selectors here, not code.
"""

from __future__ import annotations

# --- post side (owned by extract/post.py, extract/blog.py, extract/credits.py) ---

# The element wrapping the one post on a single-post page.  ``{id}`` is the
# post id from ``body.postid-N`` when the page states one.
POST_CONTAINER_BY_ID = (
    "article#post-{id}",
    "#post-{id}",
    ".post-{id}",
)
POST_CONTAINER = (
    "article.hentry",
    "article.type-post",
    "article.post",
    ".hentry",
    ".type-post",
    ".post[id^='post-']",
    "[itemtype*='BlogPosting']",
    "[itemtype*='Article']",
    "article",
)

# The post heading, looked for inside the container first, then in the page.
POST_TITLE = (
    ".entry-title",
    ".wp-block-post-title",
    ".post-title",
    ".posttitle",
    ".postitle",
    ".storytitle",
    ".single-title",
    ".td-post-title h1",
    "[itemprop='headline']",
    "h1",
    "h2",
    "h3",
)

# The post text.  Core/classic themes, block themes, then older theme families.
POST_CONTENT = (
    ".entry-content",
    ".wp-block-post-content",
    ".post-content",
    ".post-entry",
    ".entry-body",
    ".entry",
    ".entrytext",
    ".storycontent",
    ".td-post-content",
    ".single-content",
    ".post-single-content",
    ".article-content",
    "[itemprop='articleBody']",
    ".post-body",
    ".postbody",
    ".entry-content-post",
)

# Regions that are never part of the post: its comments, the comment form,
# site chrome.  Removed before looking for content, terms and credits.
# The single post's title as core's themes print it (the_title in <h1 class="entry-title">).
POST_TITLE_HEADING = "h1.entry-title"

NOT_POST_REGIONS = (
    "#comments",
    ".comments-area",
    "#respond",
    ".comment-respond",
    "ol.commentlist",
    "ol.comment-list",
    ".comment-body",
    ".comment-content",
    "#disqus_thread",
    "#wpdcom",
    ".wpd-thread-wrapper",
    # Threads outside a known comments area (the body must never be the comment list):
    # WordPress 1.5 Classic's ol#commentlist, Thesis's dl#comment_list / dl#trackback_list,
    # and any element carrying a comment's id, as wp_list_comments' callbacks print it.
    "#commentlist",
    ".commentlist",
    ".comment-list",
    "#comment_list",
    "#trackback_list",
    "li[id^='comment-']",
    "dt[id^='comment-']",
    "article[id^='comment-']",
    "[id^='div-comment-']",
    "[id^='li-comment-']",
    "nav",
    ".navigation",
    ".post-navigation",
    ".nav-links",
    ".breadcrumbs",
    ".breadcrumb",
    "#breadcrumbs",
    ".yoast-breadcrumbs",
    "aside",
    ".sidebar",
    "#sidebar",
    ".widget-area",
    ".widget",
    "#secondary",
    "#footer",
    "footer.site-footer",
    "header.site-header",
    "#masthead",
    "#wpadminbar",
    "#marketingbar",
    ".wpcom-masterbar",
)

# Sidebar widgets: WordPress wraps every widget in an element of class "widget" beside
# the widget's own class, "widget_<type>" (register_sidebar's before_widget, WP_Widget's
# classname: widget_text, widget_recent_comments, widget_block …).  They are among
# NOT_POST_REGIONS and hold no comment thread, so the parser leaves them hollow (the
# element without its contents): on real pages a fifth of all elements nobody reads
# (bench/profile.py).  Both classes are required: Blogger calls its whole post and
# thread "widget Blog".
SIDEBAR_WIDGET_CLASS = "widget"
SIDEBAR_WIDGET_TYPE_PREFIX = "widget_"

# Furniture inside the post: sharing, likes, related posts, ads, newsletter
# and author boxes, navigation, embedded forms and scripts.
POST_FURNITURE = (
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "iframe[src*='widgets.wp.com']",
    ".sharedaddy",
    ".sd-sharing",
    ".sd-sharing-enabled",
    ".sd-like",
    ".sharing",
    ".share-buttons",
    "[class*='share-buttons']",
    ".social-share",
    ".addtoany_share_save_container",
    ".shariff",
    ".wpl-likebox",
    "#jp-post-flair",
    ".jp-relatedposts",
    "#jp-relatedposts",
    ".related-posts",
    ".related",
    ".yarpp-related",
    ".crp_related",
    ".wp-block-jetpack-related-posts",
    ".wordads-ad-wrapper",
    ".wpcnt",
    ".wpa",
    ".adsbygoogle",
    ".advertisement",
    ".ad-container",
    ".newsletter",
    ".mc4wp-form",
    ".jetpack_subscription_widget",
    ".wp-block-jetpack-subscriptions",
    ".author-bio",
    ".author-box",
    ".author-info",
    ".about-author",
    ".saboxplugin-wrap",
    ".post-navigation",
    ".nav-links",
    ".navigation",
    ".page-links",
    ".edit-link",
    "#respond",
    ".comment-respond",
    ".wprm-recipe-jump",
    ".wprm-recipe-jump-to-comments",
    ".rt-reading-time",
    ".reading-time",
)

# Post-meta lines a theme prints inside the content element, dropped from the body's
# start and end only (regular expressions, case-insensitive, matched against a whole block
# of at most BODY_META_LINE_MAX characters): bylines with counts, term lines, share words.
BODY_META_LINE_PATTERNS = (
    r"(?:posted|published|written|veröffentlicht|geschrieben|publié|publicado)\s+"
    r"(?:on|am|by|von|in|le|par|el|por)\b.*",
    r"(?:categor(?:y|ies)|kategorien?|rubriken?|filed\s+under|catégories?|categorías?)\s*:.*",
    r"(?:tags?|tagged(?:\s+with)?|schlagw(?:ö|oe)rter|schlagworte|stichw(?:ö|oe)rter|étiquettes"
    r"|etiquetas)\s*:.*",
    r"(?:tweet|teilen|share|pin\s+it|e-?mail|print|drucken)",
    r"\d+\s+(?:comments?|kommentare?|responses?|antworten|commentaires?|comentarios?)",
)
BODY_META_LINE_MAX = 200
# Headings over a related-posts list at the end of the body: the heading and what
# follows go (compared after normalise_key).
RELATED_HEADING_LABELS = (
    "related",
    "related posts",
    "related articles",
    "you may also like",
    "you might also like",
    "more from this blog",
    "ähnliche beiträge",
    "ähnliche artikel",
    "das könnte dich auch interessieren",
    "das könnte sie auch interessieren",
    "weitere beiträge",
    "articles similaires",
    "à lire aussi",
    "artículos relacionados",
    "entradas relacionadas",
)

# Labels of share and like boxes, for themes whose label sits outside the box.
# Compared after normalise_key (letters and digits only, casefolded).
SHARE_LABELS = (
    "share this",
    "share this post",
    "share this article",
    "like this",
    "teilen mit",
    "diesen beitrag teilen",
    "beitrag teilen",
    "gefällt mir",
    "partager",
    "partager cet article",
    "bagikan ini",
    "suka ini",
)

# A password-protected post whose password was not given: WordPress core
# classes and its password form.  Such a page shows the form, not the text.
PASSWORD_REQUIRED = (
    ".post-password-required",
    "form.post-password-form",
    "form[action*='action=postpass']",
    "input[name='post_password']",
)

# Post heading and byline blocks: stripped when the body had to be found by
# the paragraph heuristic and so may still contain them.
POST_HEADING_PARTS = (
    "h1",
    ".entry-title",
    ".post-title",
    ".storytitle",
    ".entry-header",
    ".entry-meta",
    ".post-meta",
    ".meta",
    ".byline",
    "small",
)

# Machine-readable publication dates in markup, in priority order.
PUBLISHED_TIME = (
    "time.entry-date.published[datetime]",
    "time.published[datetime]",
    ".wp-block-post-date time[datetime]",
    "time.entry-date[datetime]",
    "time[itemprop='datePublished'][datetime]",
    "[itemprop='datePublished'][content]",
    "abbr.published[title]",
    "time[datetime]",
)
MODIFIED_TIME = (
    "time.updated[datetime]",
    "time[itemprop='dateModified'][datetime]",
    "[itemprop='dateModified'][content]",
)
# Dates shown as text only (older and WordPress.com themes).
PUBLISHED_TEXT = (
    ".entry-date",
    ".posted-on",
    ".post-date",
    ".postdate",
    ".published",
    ".meta-date",
    ".date",
    ".entry-meta",
    ".post-meta",
    ".meta",
    "[itemprop='datePublished']",
    ".post-byline",  # Hueman: "29. Juni 2017, 23:39 · von Tobi"
    ".fusion-meta-info",  # Avada: "<span>Juni 19th, 2018</span> | Category"
    ".post > small",  # Kubrick and its descendants: <small>June 19th, 2018</small>
    ".postmetadata",  # Kubrick's single.php: "This entry was posted on …"
)
# Date headings that some themes show above the posts of a day.
# Dates of the last change, which a meta line may print beside the published one: never
# the post's date.  twentyfifteen's family prints <time class="updated"> next to the
# published one once a post was edited; Avada a hidden "updated" rich snippet.  A lone
# class "updated" is often the published date itself (MH Magazine's entry-meta-date).
# (post.py leaves out a time.updated that is also .published; ":not()" here would make the
# selector index walk the whole page.)
MODIFIED_TEXT = (
    "time.updated",
    ".updated.rich-snippet-hidden",
    "[itemprop='dateModified']",
    ".last-updated",
    ".modified",
    ".post-modified",
)
DATE_HEADING = (
    "h2.date-header",
    ".date-header",
    "h2.date",
)

# The byline.  rel=author links are WordPress core; the rest are theme families.
AUTHOR = (
    ".entry-meta a[rel~='author']",
    ".byline a[rel~='author']",
    "a[rel~='author']",
    ".wp-block-post-author__name",
    ".author.vcard .fn",
    ".author.vcard.fn",  # Thesis headline_meta without the author link
    ".author.vcard a",
    ".byline .author",
    ".entry-author-name",
    ".entry-meta-author",  # MH Magazine: <span class="entry-meta-author author vcard">X</span>
    ".entry-author a",
    ".post-author a",
    ".author-name",
    ".post-author-name",
    "[itemprop='author'] [itemprop='name']",
    "a[href*='/author/']",
    "address a",
)

# Author boxes below the post ("About the author").  Their links read like
# "View all of X's posts." (twentytwentyone), so a byline outside them wins;
# inside them only the box's name heading is used.
AUTHOR_BOX = (
    ".author-bio",
    ".author-box",
    ".author-info",
    ".about-author",
    ".saboxplugin-wrap",
    ".mh-author-box",  # MH Magazine: its post count link reads "257 Artikel"
)
AUTHOR_BOX_NAME = (
    ".author-title",
    ".author-name",
    ".author-heading",
    ".saboxplugin-authorname",
    ".wp-block-post-author__name",
    "[itemprop='name']",
    "h2",
    "h3",
    "h4",
)

# Meta lines that name the author in plain text ("Posted on … by Admin").
BYLINE_TEXT = (
    ".byline",
    ".entry-meta",
    ".post-meta",
    ".postinfo",
    ".post-info",
    ".postmeta",
    ".meta",
    ".postmetadata",
    ".headline_meta",  # Thesis
    ".post-byline",
    ".author-line",
)

# Post-meta blocks that hold the terms when the theme prints them outside
# the post container.
POST_META_BLOCKS = (
    ".entry-meta",
    ".entry-footer",
    ".entry-utility",
    ".post-meta",
    ".postmetadata",
    ".post-footer",
    ".cat-links",
    ".tags-links",
    ".tag-links",
    ".wp-block-post-terms",
)

FEATURED_IMAGE = (
    ".post-thumbnail img",
    "img.wp-post-image",
    ".wp-block-post-featured-image img",
    ".featured-image img",
)

# Captions whose text may mix a description and a credit.
CAPTIONS = (
    "figcaption",
    ".wp-caption-text",
    ".wp-element-caption",
    ".wp-caption-dd",
    "[class*='caption']",
)

# Elements that hold only a credit: the Media Credit plugin's `.media-credit`, themes'
# `.photo-credit`, `.thumbnail-credit`, `.thumb-copyright`, `.image-source` under a picture.
CREDIT_HOLDERS = (
    "[class*='credit']",
    "[class*='copyright']",
    "[class*='bildnachweis']",
    "[class*='image-source']",
    "[class*='photo-source']",
)

# --- blog side: is this WordPress, which blog ---

SITE_TITLE = (
    ".site-title a",
    ".wp-block-site-title a",
    "#site-title a",
    "#blog-title a",
    ".blog-title a",
    "#logo a",
    ".site-title",
    "#site-title",
)
# Asset hosts and class names that only WordPress.com serves.
WPCOM_MARKERS = (
    "s0.wp.com",
    "s1.wp.com",
    "s2.wp.com",
    "wpcom",
    "files.wordpress.com",
    "highlander-enabled",
)
# Markers of WordPress in general (self-hosted or .com).
WORDPRESS_ASSET_PATHS = ("/wp-content/", "/wp-includes/")
WORDPRESS_CLASS_PREFIXES = ("wp-block-", "wp-image-", "postid-", "wp-embed")
JETPACK_MARKERS = ("jetpack", "stats.wp.com", "i0.wp.com", "i1.wp.com", "i2.wp.com")
# Single-post signals beside body classes, og:type and .hentry, for themes that print a
# bare <body> (and Wayback captures of them): the REST API link WordPress core prints on
# a post (rest_output_link_header / wp_head: /wp/v2/posts/N; pages get /wp/v2/pages/N),
# the shortlink (?p=N; pages get ?page_id=N), and the Open Graph publication time SEO
# plugins print for posts only.  Comment ids (comment-N) are a signal too
# (extract/post.py), since only a single post or page shows its thread.
SINGLE_POST_SIGNALS = (
    "link[rel~=alternate][href*='/wp/v2/posts/']",
    "link[rel~=shortlink][href*='?p=']",
    "meta[property='article:published_time']",
)

# Other platforms, recognised so that we can say why a page is not WordPress.
OTHER_PLATFORMS = (
    ("Blogger", ("blogger", "blogspot.com", "www.blogger.com/static")),
    ("Medium", ("medium.com", "cdn-static-1.medium.com", "miro.medium.com")),
    ("Ghost", ("ghost",)),
    ("Tumblr", ("tumblr",)),
    ("Substack", ("substack",)),
    ("Drupal", ("drupal",)),
)

# --- comment side (owned by extract/comments.py) ---

# Where the thread lives: core/classic themes, block themes, wpDiscuz, old WP.com.
COMMENTS_AREA = (
    "#comments.comments-area",
    ".comments-area",
    ".wp-block-comments",
    ".wp-block-post-comments",  # block themes' legacy "Post Comments" block
    "div#comments",
    "section#comments",
    "#wpcomm",
    "#entry-comments",
    "#comments",
    ".comments",
)

# Comment ids WordPress prints: li#comment-N (core, html5 and html4 callbacks),
# article#div-comment-N / div#div-comment-N (the body inside it), li#li-comment-N
# (twentyten and its WP.com descendants), wc-comm-N_0 / wpd-comm-N_0 (wpDiscuz).
COMMENT_ID_PATTERNS = (
    r"^(?:li-)?comment-(\d+)$",
    r"^div-comment-(\d+)$",
    r"^(?:wc|wpd)-comm-(\d+)(?:_\d+)?$",
)

# Comment entries that carry no id: pingbacks and trackbacks in many themes,
# wpDiscuz wrappers, and lists of comments whose theme drops the ids.
COMMENT_ENTRY_WITHOUT_ID = (
    "li.pingback",
    "li.trackback",
    ".comment-type-pingback",
    ".comment-type-trackback",
    "div.wpd-comment",
    "div.wc-comment",
    "ol.wp-block-comment-template > li",
    "ol.commentlist > li.comment",
    "ol.comment-list > li.comment",
    "ul.commentlist > li.comment",
    "ul.comment-list > li.comment",
    "li.comment[id^=c]",  # Blogger (negative controls still get their thread)
    # Pings a theme lists apart from the comments (Thesis dl#trackback_list: dt = source,
    # dd = date; older themes' ol/ul of pings).
    "dl#trackback_list > dt",
    "#pinglist > li",
    "ol.pinglist > li",
    "ul.pinglist > li",
    "#pings > li",
    "ol.pings > li",
    "ul.pings > li",
    "#trackbacks > li",
    "ol.trackbacklist > li",
    "ul.trackbacklist > li",
)

# Lists that hold only pingbacks and trackbacks (see COMMENT_ENTRY_WITHOUT_ID): their
# entries are pings even when the theme prints no comment_class().
PING_LISTS = (
    "#trackback_list",
    "#pinglist",
    ".pinglist",
    "#pings",
    ".pings",
    "#trackbacks",
    ".trackbacklist",
)

# Nested reply lists and the reply form: never part of a comment's own content.
COMMENT_NESTED_CONTAINERS = (
    ".children",
    "ul.children",
    "ol.children",
    ".wpd-reply",
    ".comment-replies",
    ".comment-respond",
    "#respond",
    "form",
)

# The reply form: nothing inside it is a comment.
COMMENT_FORM = (
    "#respond",
    ".comment-respond",
    "form#commentform",
    "form.comment-form",
    ".wpd-form",
)

# The element holding one comment's own header and text (not its replies).
COMMENT_BODY = (
    "article.comment-body",
    "div.comment-body",
    "[id^=div-comment-]",
    ".wc-comment-right",
    ".wpd-comment-wrap",
    ".wp-block-group",
)

COMMENT_AUTHOR = (
    ".comment-author .fn",
    ".wp-block-comment-author-name",
    ".comment-author [itemprop='name']",  # Genesis HTML5 callback
    ".fn",
    ".wpd-comment-author",
    ".wc-comment-author",
    ".comment-author-name",
    ".comment-author cite",
    ".comment-author strong",
    ".comment-author b",
    ".comment-author a",
    ".comment-meta cite",
    ".commentmetadata cite",
    "cite",
    ".comment-meta strong",
    ".comment-meta b",
    ".commentmetadata strong",
    ".comment-author",
    ".commenter",
    # Callbacks that print the name in an element of their own naming (a node without
    # letters, such as an avatar-only .comment-author, is skipped for the next one):
    ".comment_author",  # Thesis 1.x: <dt><span class="comment_author">
    ".author_name",  # soho and other callbacks: <span class="author_name">, name after the text
    ".w-comments-item-author",  # Impreza (UpSolution) comment callback
    "span.author",  # RockWall, BUZZBLOG, Soledad: <span class="author">
)

# The reply link core prints (comment_reply_link) names the author in its aria-label,
# "Reply to %s" in the blog's language ("Antworte auf %s"): the structural key to an
# author node no selector knows.
COMMENT_REPLY_LABELLED = (
    "a.comment-reply-link[aria-label]",
    "a.comment-reply-login[aria-label]",
)

# Where the displayed date is, when no <time> names it.
COMMENT_DATE = (
    ".wp-block-comment-date",
    ".comment-metadata time",
    ".comment-meta time",
    "time",
    ".wpd-comment-date",
    ".wc-comment-date",
    ".comment-date",
    ".comment-time",
    ".comment_time",  # Thesis 1.x
    ".comment_date",
    ".datetime",
    ".commentmetadata",
    ".comment-metadata",
    ".comment-meta",
    ".comment-info",
    ".date",
)

COMMENT_CONTENT = (
    ".comment-content",
    ".wp-block-comment-content",
    ".wpd-comment-text",
    ".wc-comment-text",
    ".comment-text",
    ".comment-entry",
    ".comment_text",
    ".commenttext",
    ".contenttext",
    ".comment-body",
)

# Comment furniture: reply/edit/like links, avatars, votes, "says:" labels.
COMMENT_FURNITURE = (
    ".reply",
    ".comment-reply-link",
    ".comment-reply",
    ".wp-block-comment-reply-link",
    ".comment-edit-link",
    ".edit-link",
    ".wp-block-comment-edit-link",
    ".comment-likes",
    ".comment-like-link",
    ".comment-like-feedback",
    ".comment-actions",
    ".sharedaddy",
    ".jp-relatedposts",
    ".avatar",
    ".wp-block-avatar",
    ".says",
    ".wpd-comment-footer",
    ".wc-comment-footer",
    ".wpd-vote",
    ".comment-awaiting-moderation",
    "script",
    "style",
    "noscript",
    "template",
    "button",
    "input",
    "textarea",
    "select",
    "form",
)

# The heading or post meta that states how many comments there are.
COMMENT_COUNT = (
    ".wpd-cc-value",
    ".wpd-thread-info",  # wpDiscuz 7: "<span class=wpdtc>N</span> Comments"
    ".wp-block-comments-title",
    ".comments-title",
    "#comments-title",
    ".comments-header",
    ".commentsheader",
    ".comment-title",
    "h2#comments",
    "h3#comments",
    "#comments > h2",
    "#comments > h3",
    "#comments > h4",
    ".comments-area h2",
    ".comments-area h3",
    "#comments h2",
    "#comments h3",
    "#comments h4",
    "ol.commentlist ~ h3",
    "#comments_intro",  # Thesis: "{ 38 comments… read them below or add one }"
)

# Post meta links that state the count ("5 Comments") near the title.
COMMENT_COUNT_IN_POST_META = (
    ".comments-link",
    ".comment-count",
    ".comments-count",
    ".entry-comments",
    ".post-comments",
    "a[href$='#comments']",
    "a[href$='#respond']",
)

# Comment pagination inside the comments area.
COMMENT_NAVIGATION_LINKS = (
    ".comment-navigation a[href]",
    ".comments-navigation a[href]",
    ".wp-block-comments-pagination a[href]",
    "nav.navigation a[href]",
    ".navigation a[href]",
    ".nav-links a[href]",
    ".commentnav a[href]",
    ".comment-nav a[href]",
    "a.page-numbers[href]",
)
COMMENT_NAVIGATION_CURRENT = (
    ".comment-navigation .current",
    ".wp-block-comments-pagination .current",
    ".navigation .current",
    ".nav-links .current",
    ".page-numbers.current",
    "[aria-current=page]",
)
# Links to the neighbouring comment page, which give the current page when
# neither the URL nor a "current" marker does (the post URL shows the last
# page by default).  WordPress's previous link always goes to the lower page
# number: core's the_comments_navigation (.nav-previous), the block theme
# pagination block, paginate_comments_links (a.prev), and the theme-compat
# comments.php the "Post Comments" block prints (.navigation .alignleft).
COMMENT_NAVIGATION_PREVIOUS = (
    ".comment-navigation .nav-previous a[href]",
    ".comments-navigation .nav-previous a[href]",
    "a.wp-block-comments-pagination-previous[href]",
    "a.prev.page-numbers[href]",
    ".navigation .nav-previous a[href]",
    ".navigation .alignleft a[href]",
    ".commentnav .alignleft a[href]",
    "a[rel=prev][href]",
)
COMMENT_NAVIGATION_NEXT = (
    ".comment-navigation .nav-next a[href]",
    ".comments-navigation .nav-next a[href]",
    "a.wp-block-comments-pagination-next[href]",
    "a.next.page-numbers[href]",
    ".navigation .nav-next a[href]",
    ".navigation .alignright a[href]",
    ".commentnav .alignright a[href]",
    "a[rel=next][href]",
)

# Comment systems that load the thread by script: (selector, name).
COMMENTS_LOADED_BY_SCRIPT = (
    ("#disqus_thread", "disqus"),
    ("script[src*='disqus.com']", "disqus"),
    ("script[src*='.disqus.com/embed.js']", "disqus"),
    ("iframe#jetpack_remote_comment", "jetpack-iframe"),
    ("iframe.jetpack_remote_comment", "jetpack-iframe"),
    (".fb-comments", "facebook"),
    ("fb\\:comments", "facebook"),
    ("#comments-block-wrapper[data-loading]", "blogger"),
    (".comment-thread[data-blogger]", "blogger"),
    ("#hcb_thread", "hyvor"),
    ("#remark42", "remark42"),
    (".commento", "commento"),
    ("#isso-thread", "isso"),
    (".utterances", "utterances"),
    ("#wpdiscuz-loading-bar", "wpdiscuz-lazy"),
)
# Inline script text that loads a comment thread: (substring, name).
COMMENTS_LOADED_BY_SCRIPT_MARKERS = (
    ("disqus_shortname", "disqus"),
    ("disqus_config", "disqus"),
    (".disqus.com/", "disqus"),
    ("connect.facebook.net", "facebook-sdk"),
)

# Links from an archive or listing page to single posts (extract/links.py).
LISTING_POST_LINKS = (
    ".wp-block-post-title a[href]",
    ".entry-title a[href]",
    ".post-title a[href]",
    ".posttitle a[href]",
    ".storytitle a[href]",
    "article a[rel~=bookmark]",
    ".hentry a[rel~=bookmark]",
    "h2 a[rel~=bookmark]",
    "h1 a[rel~=bookmark]",
)

# The link to the next (older) archive page: /page/N/ or ?paged=N.
NEXT_ARCHIVE_PAGE = (
    "link[rel~=next][href]",
    ".wp-block-query-pagination-next[href]",
    ".wp-block-query-pagination a.wp-block-query-pagination-next[href]",
    "a.next.page-numbers[href]",
    ".pagination a.next[href]",
    ".nav-links a.next[href]",
    ".nav-previous a[href]",
    ".navigation .alignleft a[href]",
    "a.next[href]",
    "a[rel~=next][href]",
    ".older-posts a[href]",
    "a.older-posts[href]",
    ".pagination a[href]",
    ".nav-links a[href]",
    ".page-numbers[href]",
)
