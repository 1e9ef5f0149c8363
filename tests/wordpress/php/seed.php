<?php
/*
 * Deterministic seeding of the "Frame by Frame" film-review blog through WordPress's own PHP API.
 *
 * Run by wpsite.py against an EMPTY database (it drops and recreates it first):
 *   WPA_HOME=<seed origin> WPA_SEED_VERSION=<hash> ... php seed.php
 *
 * Determinism: mt_srand() with a fixed seed, every date is fixed (posts, attachments, comments,
 * users, trash times), and the database starts empty so auto-increment IDs are the same each run.
 * The absolute URLs stored in post bodies use the seed origin (WPA_SEED_HOME); the mu-plugin
 * rewrites them to whichever origin serves the site.
 *
 * Prints a JSON summary on stdout.
 */

declare(strict_types=1);

define('WP_INSTALLING', true);

// Pluggable: defined before upgrade.php so wp_install() does not try to e-mail the admin.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password): void
{
}

require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/media.php';

if (WP_HOME !== WPA_SEED_HOME) {
    fwrite(STDERR, "seed.php must run with WPA_HOME == WPA_SEED_HOME\n");
    exit(2);
}
if (is_blog_installed()) {
    fwrite(STDERR, "seed.php needs an empty database; wpsite.py recreates it before seeding\n");
    exit(2);
}

mt_srand(20131218); // Her's US release date; any fixed value will do.

$D = require __DIR__ . '/seed_data.php';

/** A fixed trash timestamp (WordPress records when something was trashed). */
const WPA_TRASH_TIME = 1717243200; // 2024-06-01 12:00:00 UTC

/* ================================================================================================
 * Helpers
 * ============================================================================================= */

function wpa_fail(string $message): never
{
    fwrite(STDERR, "seed.php: $message\n");
    exit(1);
}

/** @param mixed $result */
function wpa_check($result, string $what)
{
    if (is_wp_error($result)) {
        wpa_fail("$what: " . $result->get_error_message());
    }
    if ($result === 0 || $result === false) {
        wpa_fail("$what failed");
    }
    return $result;
}

function wpa_pick(array $items)
{
    return $items[mt_rand(0, count($items) - 1)];
}

function wpa_add_minutes(string $date, int $minutes): string
{
    return gmdate('Y-m-d H:i:s', strtotime($date . ' UTC') + 60 * $minutes);
}

function wpa_ascii(string $text): string
{
    return trim((string) preg_replace('/[^\x20-\x7E]+/', '', remove_accents($text)));
}

/** Escapes text for HTML the way the editors store it: &, <, > only (quotes stay literal). */
function wpa_h(string $text): string
{
    return htmlspecialchars($text, ENT_NOQUOTES | ENT_HTML5, 'UTF-8');
}

/** Draws a poster (portrait) or a film still (landscape): gradient, shapes and blocky title text. */
function wpa_draw_image(string $path, string $label, string $sublabel, int $w, int $h): void
{
    $im = imagecreatetruecolor($w, $h);
    $c1 = [mt_rand(10, 200), mt_rand(10, 200), mt_rand(10, 200)];
    $c2 = [mt_rand(10, 200), mt_rand(10, 200), mt_rand(10, 200)];
    for ($y = 0; $y < $h; $y++) {
        $t = $y / max(1, $h - 1);
        $rgb = array_map(static fn($a, $b) => (int) round($a + ($b - $a) * $t), $c1, $c2);
        imageline($im, 0, $y, $w, $y, imagecolorallocate($im, $rgb[0], $rgb[1], $rgb[2]));
    }
    for ($i = 0, $n = mt_rand(3, 6); $i < $n; $i++) {
        $col = imagecolorallocatealpha($im, mt_rand(0, 255), mt_rand(0, 255), mt_rand(0, 255), mt_rand(40, 90));
        $cx = mt_rand(0, $w);
        $cy = mt_rand(0, $h);
        $size = mt_rand((int) ($w / 6), (int) ($w / 1.5));
        if (mt_rand(0, 1) === 1) {
            imagefilledellipse($im, $cx, $cy, $size, $size, $col);
        } else {
            imagefilledrectangle($im, $cx - intdiv($size, 2), $cy - intdiv($size, 3), $cx + intdiv($size, 2), $cy + intdiv($size, 3), $col);
        }
    }
    $lines = [[strtoupper(wpa_ascii($label)), 0.12], [wpa_ascii($sublabel), 0.80]];
    foreach ($lines as [$text, $yFraction]) {
        if ($text === '') {
            continue;
        }
        // GD's built-in font is tiny: draw it on a palette image and scale it up (transparent bg).
        $tw = strlen($text) * imagefontwidth(5) + 4;
        $th = imagefontheight(5) + 2;
        $txt = imagecreate($tw, $th);
        $bg = imagecolorallocate($txt, 0, 0, 0);
        imagecolortransparent($txt, $bg);
        imagestring($txt, 5, 2, 1, $text, imagecolorallocate($txt, 255, 255, 240));
        $scale = max(1.0, min(3.0, ($w - 24) / $tw));
        $dw = (int) ($tw * $scale);
        $dh = (int) ($th * $scale);
        imagecopyresized($im, $txt, (int) (($w - $dw) / 2), (int) ($h * $yFraction), 0, 0, $dw, $dh, $tw, $th);
        imagedestroy($txt);
    }
    if (str_ends_with($path, '.png')) {
        imagepng($im, $path, 6);
    } else {
        imagejpeg($im, $path, 85);
    }
    imagedestroy($im);
}

/**
 * Creates an image file in the uploads folder of $date's month and registers it as an attachment
 * (sub-sizes and metadata through wp_generate_attachment_metadata). Returns the attachment ID.
 */
function wpa_attach_image(string $kind, string $slug, string $label, string $sublabel, string $date, int $author,
    string $title, string $alt, string $caption = ''): int
{
    $uploads = wp_upload_dir(substr($date, 0, 4) . '/' . substr($date, 5, 2));
    if (!empty($uploads['error'])) {
        wpa_fail('wp_upload_dir: ' . $uploads['error']);
    }
    wp_mkdir_p($uploads['path']);
    $ext = $kind === 'poster' ? 'jpg' : 'png';
    $filename = wp_unique_filename($uploads['path'], "$slug.$ext");
    $file = $uploads['path'] . '/' . $filename;
    [$w, $h] = $kind === 'poster' ? [400, 600] : [800, 450];
    wpa_draw_image($file, $label, $sublabel, $w, $h);

    $id = wpa_check(wp_insert_attachment(wp_slash([
        'post_mime_type' => $ext === 'jpg' ? 'image/jpeg' : 'image/png',
        'post_title' => $title,
        'post_excerpt' => $caption,
        'post_content' => '',
        'post_status' => 'inherit',
        'post_author' => $author,
        'post_date' => $date,
        'guid' => $uploads['url'] . '/' . $filename,
    ]), $file, 0, true), "attachment $filename");
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $file));
    update_post_meta($id, '_wp_attachment_image_alt', wp_slash($alt));
    return $id;
}

/** Renders one credit: its HTML (name linked or not) and its ground-truth record. */
function wpa_credit(array $credit, array $artists): array
{
    [$place, $role, $phrase, $name, $linked] = $credit;
    $url = $artists[$name] ?? wpa_fail("unknown artist $name");
    $nameHtml = $linked ? '<a href="' . esc_url($url) . '">' . wpa_h($name) . '</a>' : wpa_h($name);
    [$before, $after] = explode('{name}', $phrase, 2);
    return [
        'html' => wpa_h($before) . $nameHtml . wpa_h($after),
        'record' => [
            'text' => $before . $name . $after,
            'name' => $name,
            'url' => $linked ? $url : null,
            'place' => $place,
            'role' => $role,
        ],
    ];
}

/* ---- Body markup: block editor vs classic editor --------------------------------------------- */

function wpa_p(string $inner, bool $classic, string $fontSize = ''): string
{
    if ($classic) {
        return $inner;
    }
    if ($fontSize !== '') {
        return "<!-- wp:paragraph {\"fontSize\":\"$fontSize\"} -->\n<p class=\"has-$fontSize-font-size\">$inner</p>\n<!-- /wp:paragraph -->";
    }
    return "<!-- wp:paragraph -->\n<p>$inner</p>\n<!-- /wp:paragraph -->";
}

function wpa_heading(string $text, bool $classic): string
{
    return $classic ? "<h3>$text</h3>" : "<!-- wp:heading {\"level\":3} -->\n<h3>$text</h3>\n<!-- /wp:heading -->";
}

/** @param string[] $items */
function wpa_list(array $items, bool $classic, bool $ordered = false): string
{
    $tag = $ordered ? 'ol' : 'ul';
    $lis = implode('', array_map(static fn($i) => "<li>$i</li>", $items));
    if ($classic) {
        return "<$tag>$lis</$tag>";
    }
    $attrs = $ordered ? ' {"ordered":true}' : '';
    return "<!-- wp:list$attrs -->\n<$tag>$lis</$tag>\n<!-- /wp:list -->";
}

function wpa_more(bool $classic): string
{
    return $classic ? '<!--more-->' : "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->";
}

/** An image in the body: image block with optional figcaption, or classic <img> / [caption]. */
function wpa_image(int $id, string $size, string $caption, bool $classic): string
{
    [$src, $w, $h] = wp_get_attachment_image_src($id, $size);
    $alt = esc_attr((string) get_post_meta($id, '_wp_attachment_image_alt', true));
    if ($classic) {
        $img = "<img class=\"size-$size wp-image-$id\" src=\"$src\" alt=\"$alt\" width=\"$w\" height=\"$h\" />";
        if ($caption === '') {
            return str_replace('class="', 'class="aligncenter ', $img);
        }
        return "[caption id=\"attachment_$id\" align=\"aligncenter\" width=\"$w\"]$img $caption" . '[/caption]';
    }
    $figcaption = $caption === '' ? '' : "<figcaption class=\"wp-element-caption\">$caption</figcaption>";
    return "<!-- wp:image {\"id\":$id,\"sizeSlug\":\"$size\",\"linkDestination\":\"none\"} -->\n"
        . "<figure class=\"wp-block-image size-$size\"><img src=\"$src\" alt=\"$alt\" class=\"wp-image-$id\"/>$figcaption</figure>\n"
        . '<!-- /wp:image -->';
}

/**
 * A review's rating as the post body carries it: a WP Review-like microdata box, an hReview,
 * or a text line (json-ld is printed in wp_head by the fixture mu-plugin instead).
 * @return string[]
 */
function wpa_review_markup(array $review, string $film, int $year, bool $classic): array
{
    $name = wpa_h($film);
    switch ($review['form']) {
        case 'microdata':
            return ['<div id="review" class="review-wrapper wp-review-box" itemscope itemtype="http://schema.org/Review">'
                . '<div itemprop="itemReviewed" itemscope itemtype="http://schema.org/Movie">'
                . "<h5 class=\"review-title\" itemprop=\"name\">$name</h5><meta itemprop=\"dateCreated\" content=\"$year\"></div>"
                . '<div class="review-total-wrapper" itemprop="reviewRating" itemscope itemtype="http://schema.org/Rating">'
                . "<span class=\"review-total-box\">Overall <span itemprop=\"ratingValue\">{$review['value']}</span>"
                . "/<span itemprop=\"bestRating\">{$review['best']}</span></span>"
                . "<meta itemprop=\"worstRating\" content=\"{$review['worst']}\"></div></div>"];
        case 'hreview':
            return ['<div class="hreview"><p class="item"><span class="fn">' . $name . '</span></p>'
                . '<p>My rating: <span class="rating"><span class="value">' . $review['value'] . '</span> out of '
                . '<span class="best">' . $review['best'] . '</span></span></p></div>'];
        case 'text':
            return [wpa_p(wpa_h($review['line']), $classic)];
        default:
            return [];
    }
}

function wpa_fill(string $template, array $vars): string
{
    return strtr($template, $vars);
}

/** @return string[] review paragraphs (inner HTML) for a film */
function wpa_review_paragraphs(array $bank, array $vars): array
{
    $paragraphs = [];
    $count = mt_rand(3, 5);
    for ($i = 0; $i < $count; $i++) {
        $sentences = [];
        if ($i === 0) {
            $sentences[] = wpa_pick($bank['open']);
        }
        for ($j = 0, $n = mt_rand(2, 3); $j < $n; $j++) {
            $sentences[] = wpa_pick($bank['middle']);
        }
        if ($i === $count - 1) {
            $sentences[] = wpa_pick($bank['close']);
        }
        $paragraphs[] = wpa_h(wpa_fill(implode(' ', array_unique($sentences)), $vars));
    }
    return $paragraphs;
}

/* ---- Comments ------------------------------------------------------------------------------ */

/** Inserts one comment (dates are local; WordPress derives comment_date_gmt). Returns its ID. */
function wpa_comment(int $postId, array $fields): int
{
    $data = array_merge([
        'comment_post_ID' => $postId,
        'comment_author_email' => '',
        'comment_author_url' => '',
        'comment_author_IP' => '127.0.0.1',
        'comment_agent' => 'Mozilla/5.0 (X11; Linux x86_64) wparchive-seed',
        'comment_type' => 'comment',
        'comment_parent' => 0,
        'comment_approved' => 1,
        'user_id' => 0,
    ], $fields);
    if ($data['comment_author_email'] === '' && $data['comment_type'] === 'comment') {
        $data['comment_author_email'] = sanitize_title(wpa_ascii($data['comment_author']) ?: 'reader') . '@readers.example';
    }
    $id = wpa_check(wp_insert_comment(wp_slash($data)), "comment on post $postId");
    if ($data['comment_approved'] === 'trash') {
        add_comment_meta($id, '_wp_trash_meta_status', '1');
        add_comment_meta($id, '_wp_trash_meta_time', WPA_TRASH_TIME);
    }
    return (int) $id;
}

/**
 * Seeds reader threads on a post: $total comments of which $roots are top-level; replies go to a
 * random earlier comment (depth <= 4). Some replies come from the post's author (a registered user).
 * With $deepThread the first four comments form one chain of depth 4.
 *
 * @return array{ids: int[], last_date: string}
 */
function wpa_threads(int $postId, string $postDate, int $total, int $roots, WP_User $author, array $D, array $vars,
    bool $deepThread = false): array
{
    $date = wpa_add_minutes($postDate, mt_rand(90, 1800));
    $depth = [];
    $ids = [];
    $make = static function (int $parent) use (&$date, &$depth, &$ids, $postId, $author, $D, $vars): int {
        $date = wpa_add_minutes($date, mt_rand(15, 900));
        $byAuthor = $parent !== 0 && mt_rand(1, 5) === 1;
        if ($byAuthor) {
            $fields = [
                'comment_author' => $author->display_name,
                'comment_author_email' => $author->user_email,
                'comment_author_url' => $author->user_url,
                'user_id' => $author->ID,
                'comment_content' => wpa_pick($D['author_reply_lines']),
            ];
        } else {
            [$name, $url] = wpa_pick($D['commenters']);
            $lines = $parent === 0 ? $D['comment_lines'] : $D['reply_lines'];
            $text = wpa_fill(wpa_pick($lines), $vars);
            if ($parent === 0 && mt_rand(1, 3) === 1) {
                $text .= "\n\n" . wpa_fill(wpa_pick($D['comment_lines']), $vars);
            }
            $fields = ['comment_author' => $name, 'comment_author_url' => $url, 'comment_content' => $text];
        }
        $id = wpa_comment($postId, $fields + ['comment_parent' => $parent, 'comment_date' => $date]);
        $depth[$id] = $parent === 0 ? 1 : $depth[$parent] + 1;
        $ids[] = $id;
        return $id;
    };

    $rootsLeft = $roots;
    $repliesLeft = $total - $roots;
    if ($deepThread) {
        $parent = $make(0);
        for ($d = 2; $d <= 4; $d++) {
            $parent = $make($parent);
        }
        $rootsLeft -= 1;
        $repliesLeft -= 3;
    }
    while ($rootsLeft + $repliesLeft > 0) {
        $replyable = array_values(array_filter($ids, static fn($id) => $depth[$id] < 4));
        $asRoot = $rootsLeft > 0 && ($repliesLeft === 0 || $replyable === [] || mt_rand(1, $rootsLeft + $repliesLeft) <= $rootsLeft);
        if ($asRoot) {
            $make(0);
            $rootsLeft--;
        } else {
            $make(wpa_pick($replyable));
            $repliesLeft--;
        }
    }
    return ['ids' => $ids, 'last_date' => $date];
}

/* ================================================================================================
 * Install
 * ============================================================================================= */

global $wpdb, $wp_rewrite;

$admin = $D['authors']['projectionist'];
$installed = wp_install($D['blog']['name'], 'projectionist', $admin[3], 1, '', 'wparchive-admin');
$adminId = (int) $installed['user_id'];
// The tables exist now: leave "installing" mode so options are cached again (thousands of
// queries fewer) instead of read from the database on every get_option().
wp_installing(false);
wp_cache_flush();

// Roles were loaded before the tables existed: reload them, then act as the admin so that
// kses does not filter titles/bodies (admins have unfiltered_html).
wp_roles()->for_site();
wp_set_current_user($adminId);
kses_remove_filters();

// Remove core's sample content (Hello world!, Sample Page, draft Privacy Policy and its comment).
foreach (get_posts(['post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1, 'fields' => 'ids']) as $id) {
    wp_delete_post($id, true);
}
// Posts are created in the past: no pings/enclosure checks to schedule.
remove_action('publish_post', '_publish_post_hook', 5);
// Recount terms and comments once at the end instead of after every insert (fewer queries).
wp_defer_term_counting(true);
wp_defer_comment_counting(true);

$options = [
    'blogdescription' => $D['blog']['description'],
    'timezone_string' => 'Europe/Berlin',
    'gmt_offset' => '',
    'date_format' => 'F j, Y',
    'time_format' => 'g:i a',
    'start_of_week' => 1,
    'posts_per_page' => 10,
    'posts_per_rss' => 10,
    'rss_use_excerpt' => 0,
    'default_comment_status' => 'open',
    'default_ping_status' => 'open',
    'default_pingback_flag' => 0,
    'comment_moderation' => 0,
    'require_name_email' => 1,
    'comment_registration' => 0,
    'close_comments_for_old_posts' => 0,
    'thread_comments' => 1,
    'thread_comments_depth' => 5,
    'page_comments' => 1,
    'comments_per_page' => 20,
    // WordPress's default: the post URL shows the LAST comment page; /comment-page-1/ is the oldest.
    'default_comments_page' => 'newest',
    'comment_order' => 'asc',
    'show_avatars' => 1,
    'blog_public' => 1,
    'fresh_site' => 0,
    'uploads_use_yearmonth_folders' => 1,
    'show_on_front' => 'posts',
    // wp_install() sets "now + 6 months"; fixed instead (2100-01-01) for a deterministic database.
    'admin_email_lifespan' => 4102444800,
];
foreach ($options as $name => $value) {
    update_option($name, $value);
}
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
$wp_rewrite->set_category_base('');
$wp_rewrite->set_tag_base('');
// Taxonomies and post types registered at 'init' saw no permalink structure, so they added no
// rewrite rules (no /category/, /tag/ archives): register them again before rules are flushed.
create_initial_post_types();
create_initial_taxonomies();

/* ---- Users ----------------------------------------------------------------------------------- */

$users = [];
foreach ($D['authors'] as $login => [$display, $first, $last, $email, $url, $bio, $role]) {
    $fields = [
        'user_login' => $login,
        'user_nicename' => $login,
        'user_email' => $email,
        'user_url' => $url,
        'display_name' => $display,
        'nickname' => $display,
        'first_name' => $first,
        'last_name' => $last,
        'description' => $bio,
        'role' => $role,
    ];
    if ($login === 'projectionist') {
        $id = wpa_check(wp_update_user(['ID' => $adminId] + $fields), 'update admin');
    } else {
        $id = wpa_check(wp_insert_user($fields + ['user_pass' => "wparchive-$login"]), "user $login");
    }
    $users[$login] = new WP_User((int) $id);
}
$wpdb->query("UPDATE {$wpdb->users} SET user_registered = '2018-12-01 09:00:00'");
foreach ($users as $user) {
    clean_user_cache($user);
    $users[$user->user_login] = new WP_User($user->ID);
}

/* ---- Categories ------------------------------------------------------------------------------ */

$categoryIds = [];
foreach ($D['categories'] as $slug => [$name, $parent, $description]) {
    $term = wpa_check(wp_insert_term($name, 'category', [
        'slug' => $slug,
        'description' => $description,
        'parent' => $parent === null ? 0 : $categoryIds[$parent],
    ]), "category $slug");
    $categoryIds[$slug] = (int) $term['term_id'];
}

/* ---- Local avatar (the mu-plugin points every avatar at it instead of gravatar.com) ------------ */

$uploadBase = wp_upload_dir(null, false)['basedir'];
wp_mkdir_p("$uploadBase/wparchive");
$avatar = imagecreatetruecolor(96, 96);
imagefill($avatar, 0, 0, imagecolorallocate($avatar, 200, 200, 210));
imagefilledellipse($avatar, 48, 36, 36, 36, imagecolorallocate($avatar, 120, 120, 140));
imagefilledellipse($avatar, 48, 96, 72, 60, imagecolorallocate($avatar, 120, 120, 140));
imagepng($avatar, "$uploadBase/wparchive/avatar.png", 6);
imagedestroy($avatar);

/* ---- Pages ----------------------------------------------------------------------------------- */

$aboutId = wpa_check(wp_insert_post(wp_slash([
    'post_type' => 'page',
    'post_status' => 'publish',
    'post_title' => 'About',
    'post_name' => 'about',
    'post_author' => $adminId,
    'post_date' => '2019-01-01 09:00:00',
    'comment_status' => 'closed',
    'ping_status' => 'closed',
    'post_content' => wpa_p('Frame by Frame is a small film blog written by four friends since 2019.', false) . "\n\n"
        . wpa_p('We review new releases, revisit classics and report from festivals. Posters on this site are credited to their designers whenever we know who they are.', false),
]), true), 'about page');

/* ================================================================================================
 * Published posts
 * ============================================================================================= */

$summary = ['posts' => 0, 'attachments' => 0, 'comments' => ['comment' => 0, 'pingback' => 0, 'trackback' => 0]];
$published = []; // index => post ID
$pingSources = [
    ['Cinephile Notes » Parasite and the architecture of class', 'https://cinephile-notes.example/2019/07/parasite-architecture/'],
    ['Reel Talk Weekly » Links of the week #12', 'https://reeltalk.example/links-12/'],
    ['Le Petit Écran » Sciamma, encore', 'https://petit-ecran.example/sciamma-encore/'],
    ['Spice Must Flow » Ranking every Dune adaptation', 'https://spice.example/ranking-dune/'],
    ['Bagel Theory » Everything bagels, explained', 'https://bagel-theory.example/eeaao/'],
];
$trackSources = [
    ['The Reel Deal', 'https://reel-deal.example/2021/10/dune-reconsidered/', 'Dune, reconsidered'],
    ['Midnight Matinee', 'https://midnight-matinee.example/aftersun-roundup/', 'Aftersun roundup'],
];
$festivalSentences = [
    'The queue for the midnight screening started before lunch.',
    'Three films a day is the sensible maximum; we managed five.',
    'The best thing I saw was a film nobody had heard of on Monday and everybody was arguing about by Friday.',
    'Press screenings at 8:30 am should be illegal, but the coffee helped.',
    'A standing ovation of eleven minutes is apparently the new normal.',
    'I left one screening early and I regret nothing.',
    'The festival programme this year leaned heavily on debut features, and it paid off.',
];
$essaySentences = [
    'We have never used star ratings on this blog, and people ask why at least once a month.',
    'A score flattens everything interesting about a film into a single number.',
    'Instead we try to tell you what a film is trying to do, and whether it does it.',
    'Sometimes we get it wrong. Films grow on you, or they fade.',
    'The comments are the best part of this site; please keep arguing with us.',
    'Posters matter to us too, which is why we credit the designers whenever we can.',
];

foreach ($D['posts'] as $index => $p) {
    [$title, $film, $year, $director, $date, $authorLogin, $cats, $tags] = $p;
    $author = $users[$authorLogin];
    $classic = $p['classic'] ?? ($date < '2020-04-01');
    $slug = sanitize_title(wpa_ascii($film !== null ? "$film $year" : $title));
    $vars = ['{film}' => $film ?? $title, '{year}' => (string) $year, '{director}' => $director ?? 'the director', '{slug}' => $slug];
    $attachments = [];
    $credits = $p['credits'];
    $records = [];
    $creditHtml = []; // place => list of html
    foreach ($credits as $credit) {
        $rendered = wpa_credit($credit, $D['artists']);
        $records[] = $rendered['record'];
        $creditHtml[$credit[0]][] = $rendered['html'];
    }
    $creditRecord = static fn(string $place) => array_values(array_filter($records, static fn($r) => $r['place'] === $place));

    // ---- images
    $posterId = null;
    $posterIds = [];
    if ($p['poster'] !== null) {
        $films = !empty($p['double_poster']) ? ['Barbie', 'Oppenheimer'] : [$film];
        foreach ($films as $k => $posterFilm) {
            $featuredCaption = $creditRecord('featured-image-caption')[0]['text'] ?? '';
            $posterIds[] = wpa_attach_image('poster', sanitize_title(wpa_ascii("$posterFilm $year")) . '-poster', $posterFilm,
                (string) $year, $date, $author->ID, "$posterFilm ($year) poster", "Poster for $posterFilm ($year)",
                $k === 0 ? $featuredCaption : '');
        }
        $posterId = $posterIds[0];
        $attachments = array_merge($attachments, $posterIds);
    }
    $photoIds = [];
    for ($k = 0; $k < ($p['photos'] ?? 0); $k++) {
        $photoIds[] = wpa_attach_image('still', "$slug-still-" . ($k + 1), $film ?? wpa_pick(['Festival', 'Screening', 'Premiere']),
            'still ' . ($k + 1), $date, $author->ID, ($film ?? $title) . ' still ' . ($k + 1), 'A still from ' . ($film ?? $title));
    }
    $attachments = array_merge($attachments, $photoIds);

    // ---- body
    $body = [];
    if (($p['body'] ?? '') === 'her') {
        $paragraphs = array_map('wpa_h', $D['her_paragraphs']);
    } elseif (($p['body'] ?? '') === 'essay') {
        $paragraphs = [];
        for ($k = 0; $k < 4; $k++) {
            $paragraphs[] = wpa_h(implode(' ', array_unique([wpa_pick($essaySentences), wpa_pick($essaySentences), wpa_pick($essaySentences)])));
        }
        // A rating legend: stars that rate no film.
        $paragraphs[] = 'If we did use stars, they would mean: ★★★★★ = we will rewatch it forever, '
            . '★★★ = worth a stream, ★ = skip it. A 10/10 would be a film without flaws.';
    } elseif (($p['body'] ?? '') === 'list') {
        $paragraphs = [
            'Cinemas are closed, so here are twelve films we keep coming back to. Some are comfort viewing, some are long overdue.',
            'They are in no particular order &amp; all of them are reviewed somewhere on this blog.',
            'Tell us what is on your own list in the comments!',
        ];
    } elseif ($film === null) {
        $paragraphs = [];
        for ($k = 0; $k < 4; $k++) {
            $other = $D['posts'][mt_rand(0, count($D['posts']) - 1)][1] ?? 'Her';
            $paragraphs[] = wpa_h(wpa_pick($festivalSentences) . ' ' . wpa_pick($festivalSentences) . " $other was the talk of the week.");
        }
    } else {
        $paragraphs = wpa_review_paragraphs($D['review_sentences'], $vars);
    }
    // Internal link to an earlier post, as bloggers do.
    if ($index >= 6 && $index % 5 === 1) {
        $earlierIndex = mt_rand(0, $index - 1);
        $earlier = get_post($published[$earlierIndex]);
        $paragraphs[1] .= ' I said something similar in my <a href="' . esc_url(get_permalink($earlier)) . '">post on '
            . wpa_h($earlier->post_title) . '</a>.';
    }
    foreach ($creditHtml['inline'] ?? [] as $html) {
        $paragraphs[1] .= " The poster, $html, is one of the best of the year.";
    }
    foreach ($creditHtml['intro-paragraph'] ?? [] as $html) {
        $body[] = wpa_p("<em>$html</em>", $classic);
    }
    // Posters in the body: figcaption / [caption] credits go with them.
    $posterCaptions = array_merge($creditHtml['figcaption'] ?? [], $creditHtml['caption-shortcode'] ?? []);
    if (in_array($p['poster'], ['block', 'featured+block', 'shortcode'], true)) {
        foreach ($posterIds as $k => $id) {
            $body[] = wpa_image($id, 'medium', $posterCaptions[$k] ?? '', $classic);
        }
    }
    foreach ($paragraphs as $k => $paragraph) {
        $body[] = wpa_p($paragraph, $classic);
        if ($k === 0 && !empty($p['more'])) {
            $body[] = wpa_more($classic);
        }
        if ($k === 1 && ($p['body'] ?? '') === 'list') {
            $picks = [];
            foreach ($D['posts'] as $q) {
                if ($q[1] !== null) {
                    $picks[] = wpa_h("$q[1] ($q[2]) — " . wpa_pick($D['review_sentences']['close']));
                }
            }
            $body[] = wpa_list(array_slice($picks, 0, 12), $classic, true);
        }
        // Film stills after the first paragraphs, captioned; the first ones carry the photo credits.
        if ($k < count($photoIds)) {
            $descriptions = ['On location.', 'Behind the scenes.', 'The red carpet, just before midnight.'];
            $credit = $creditHtml['photo-figcaption'][$k] ?? '';
            $caption = trim($descriptions[$k % 3] . ' ' . $credit);
            $body[] = wpa_image($photoIds[$k], 'full', $caption, $classic);
        }
    }
    // The critic's rating in the form the post's review plugin (or its author) writes it.
    $review = $p['review'] ?? null;
    if ($review !== null) {
        $body = array_merge($body, wpa_review_markup($review, $film, $year, $classic));
    }
    if (isset($creditHtml['credits-list'])) {
        $body[] = wpa_heading('Credits', $classic);
        $body[] = wpa_list($creditHtml['credits-list'], $classic);
    }
    foreach ($creditHtml['small-print'] ?? [] as $html) {
        $body[] = wpa_p($html, $classic, 'small');
    }
    foreach ($creditHtml['closing-paragraph'] ?? [] as $html) {
        $body[] = wpa_p($html, $classic);
    }

    $postId = (int) wpa_check(wp_insert_post(wp_slash([
        'post_type' => 'post',
        'post_status' => 'publish',
        'post_title' => $title,
        'post_name' => '', // WordPress derives it from the title (accents, emoji, CJK included).
        'post_author' => $author->ID,
        'post_date' => $date,
        'post_content' => implode("\n\n", $body),
        'post_category' => array_map(static fn($slug) => $categoryIds[$slug], $cats),
        'comment_status' => empty($p['comments_closed']) ? 'open' : 'closed',
        'ping_status' => 'open',
    ]), true), "post $title");
    $published[$index] = $postId;
    $summary['posts']++;
    $summary['attachments'] += count($attachments);
    foreach ($attachments as $id) {
        $wpdb->update($wpdb->posts, ['post_parent' => $postId], ['ID' => $id]);
        clean_post_cache($id);
    }
    if ($posterId !== null && in_array($p['poster'], ['featured', 'featured+block'], true)) {
        set_post_thumbnail($postId, $posterId);
    }
    wp_set_post_terms($postId, $tags, 'post_tag');
    if (!empty($p['sticky'])) {
        stick_post($postId);
    }
    update_post_meta($postId, '_wpa_credits', wp_slash(wp_json_encode($records, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)));
    // What the archive must find: the work every film post reviews, and the critic's rating.
    $work = $film === null ? null : ['title' => $p['work'] ?? $film, 'year' => $year,
        'type' => in_array($review['form'] ?? '', ['json-ld', 'microdata'], true) ? 'film' : null];
    $rating = $review === null ? null : ['value' => $review['value'], 'best' => $review['best'],
        'worst' => $review['worst'], 'source' => $review['form'] === 'text' ? 'text' : $review['form']];
    update_post_meta($postId, '_wpa_review', wp_slash(wp_json_encode(['work' => $work, 'rating' => $rating, 'form' => $review['form'] ?? null],
        JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)));
    update_post_meta($postId, '_wpa_body_images', wp_slash(wp_json_encode(array_values(array_merge(
        in_array($p['poster'], ['block', 'featured+block', 'shortcode'], true) ? $posterIds : [], $photoIds)))));

    // ---- comments
    if (($p['body'] ?? '') === 'her') {
        wpa_comment($postId, [
            'comment_author' => 'Lena Park',
            'comment_content' => 'Beautiful review. The scene on the beach still gets me every time.',
            'comment_date' => '2019-02-24 09:12:00',
        ]);
        $summary['comments']['comment']++;
    } else {
        $spec = $p['comments'] ?? mt_rand(1, 7);
        [$total, $roots] = is_array($spec) ? $spec : [$spec, max(1, intdiv($spec + 1, 2))];
        $threads = wpa_threads($postId, $date, $total, min($roots, $total), $author, $D, $vars, !empty($p['deep_thread']));
        $summary['comments']['comment'] += count($threads['ids']);
        if (!empty($p['long_comment'])) {
            $long = [];
            for ($k = 0; $k < 12; $k++) {
                $long[] = implode(' ', array_map(static fn() => wpa_fill(wpa_pick($D['comment_lines']), $vars), range(1, 6)));
            }
            wpa_comment($postId, [
                'comment_author' => 'Élodie Marchand',
                'comment_author_url' => 'https://elodie.example/',
                'comment_content' => "A long one, sorry! 📝\n\n" . implode("\n\n", $long) . "\n\nAnyway — thank you for this review ❤️",
                'comment_date' => wpa_add_minutes($threads['last_date'], 30),
            ]);
            $summary['comments']['comment']++;
        }
    }
    $pingDate = wpa_add_minutes($date, 60 * 24 * 3);
    for ($k = 0; $k < ($p['pingbacks'] ?? 0); $k++) {
        [$name, $url] = $pingSources[$summary['comments']['pingback'] % count($pingSources)];
        wpa_comment($postId, [
            'comment_type' => 'pingback',
            'comment_author' => $name,
            'comment_author_url' => $url,
            'comment_content' => '[&#8230;] As ' . $D['blog']['name'] . ' put it, this one is worth seeing twice. [&#8230;]',
            'comment_date' => wpa_add_minutes($pingDate, 97 * $k),
        ]);
        $summary['comments']['pingback']++;
    }
    for ($k = 0; $k < ($p['trackbacks'] ?? 0); $k++) {
        [$name, $url, $ttitle] = $trackSources[$summary['comments']['trackback'] % count($trackSources)];
        wpa_comment($postId, [
            'comment_type' => 'trackback',
            'comment_author' => $name,
            'comment_author_url' => $url,
            'comment_content' => "<strong>$ttitle</strong>\n\nWe linked to this review in our weekly roundup of the best film writing.",
            'comment_date' => wpa_add_minutes($pingDate, 131 * ($k + 1)),
        ]);
        $summary['comments']['trackback']++;
    }

    if (isset($p['modified'])) {
        $wpdb->update($wpdb->posts, [
            'post_modified' => $p['modified'],
            'post_modified_gmt' => get_gmt_from_date($p['modified']),
        ], ['ID' => $postId]);
        clean_post_cache($postId);
    }
}

/* ================================================================================================
 * Non-public content (every item carries NONPUBLIC-MARKER-<id>)
 * ============================================================================================= */

$nonpublicPosts = [];
foreach ($D['nonpublic_posts'] as $marker => [$title, $status, $date, $authorLogin, $extra]) {
    $secret = "NONPUBLIC-MARKER-$marker";
    $fields = [
        'post_type' => 'post',
        'post_status' => $status,
        'post_title' => $title,
        'post_author' => $users[$authorLogin]->ID,
        'post_date' => $date,
        'post_content' => wpa_p("This text must never be archived: $secret.", false) . "\n\n"
            . wpa_p("Second paragraph of a non-public post ($secret).", false),
        'post_category' => [$categoryIds['reviews']],
        'post_password' => $extra['password'] ?? '',
    ];
    if (isset($extra['slug'])) {
        $fields['post_name'] = $extra['slug'];
    }
    if ($status === 'trash') {
        $fields['post_name'] = sanitize_title($title) . '__trashed';
    }
    $id = (int) wpa_check(wp_insert_post(wp_slash($fields), true), "non-public post $marker");
    if ($status === 'trash') {
        add_post_meta($id, '_wp_trash_meta_status', 'publish');
        add_post_meta($id, '_wp_trash_meta_time', WPA_TRASH_TIME);
    }
    $nonpublicPosts[$marker] = $id;
}

/** Finds the first approved comment of a post (to hang a non-public reply on it). */
$firstApproved = static function (int $postId): int {
    $ids = get_comments(['post_id' => $postId, 'status' => 'approve', 'orderby' => 'comment_ID', 'order' => 'ASC', 'number' => 1, 'fields' => 'ids']);
    return (int) ($ids[0] ?? 0);
};
$byTitle = static function (string $prefix) use ($D, $published): int {
    foreach ($D['posts'] as $i => $p) {
        if (str_starts_with($p[0], $prefix)) {
            return $published[$i];
        }
    }
    wpa_fail("no post titled $prefix");
};

$nonpublicComments = [
    // marker => [post ID, status, type, author, url, parent, date]
    'C1' => [$byTitle('Portrait of a Lady'), '0', 'comment', 'Hold For Moderation', '', 0, '2019-11-20 10:00:00'],
    'C2' => [$byTitle('Dune (2021)'), '0', 'comment', 'Unapproved Replier', '', $firstApproved($byTitle('Dune (2021)')), '2021-10-12 08:00:00'],
    'C3' => [$byTitle('Poor Things'), '0', 'comment', 'Pending Person', 'https://pending.example/', 0, '2024-01-15 12:00:00'],
    'C4' => [$byTitle('Roma'), 'spam', 'comment', 'Cheap Watches', 'https://cheap-watches.example/', 0, '2019-01-20 03:00:00'],
    'C5' => [$byTitle('The Batman'), 'spam', 'comment', 'SEO Expert', 'https://seo-expert.example/', 0, '2022-03-01 04:00:00'],
    'C6' => [$byTitle('Aftersun'), 'spam', 'trackback', 'Spam Blog', 'https://spam-blog.example/', 0, '2022-11-02 05:00:00'],
    'C7' => [$byTitle('Nomadland'), 'trash', 'comment', 'Regretful Commenter', '', 0, '2020-10-01 18:00:00'],
    'C8' => [$byTitle('Past Lives'), 'trash', 'comment', 'Deleted Troll', '', 0, '2023-03-06 23:00:00'],
    'C9' => [$nonpublicPosts['P7'], '1', 'comment', 'Ballot Insider', '', 0, '2024-03-10 09:00:00'],
    'C10' => [$nonpublicPosts['P4'], '1', 'comment', 'Private Reader', '', 0, '2024-05-02 10:00:00'],
    'C11' => [$byTitle('Parasite'), '0', 'pingback', 'Unknown Blog » Parasite', 'https://unknown-blog.example/parasite/', 0, '2019-07-05 10:00:00'],
];
foreach ($nonpublicComments as $marker => [$postId, $status, $type, $name, $url, $parent, $date]) {
    $text = $type === 'comment'
        ? "This comment must never be archived: NONPUBLIC-MARKER-$marker"
        : "[&#8230;] NONPUBLIC-MARKER-$marker [&#8230;]";
    if ($status === 'spam') {
        $text .= ' Buy now at <a href="' . esc_url($url) . '">' . wpa_h($url) . '</a>!!!';
    }
    wpa_comment($postId, [
        'comment_approved' => $status,
        'comment_type' => $type,
        'comment_author' => $name,
        'comment_author_url' => $url,
        'comment_parent' => $parent,
        'comment_content' => $text,
        'comment_date' => $date,
    ]);
}

/* ================================================================================================
 * Finish
 * ============================================================================================= */

wp_defer_term_counting(false);
wp_defer_comment_counting(false);
flush_rewrite_rules(false);
update_option('wpa_seed_version', (string) getenv('WPA_SEED_VERSION'));

$summary['nonpublic_posts'] = count($nonpublicPosts);
$summary['nonpublic_comments'] = count($nonpublicComments);
echo wp_json_encode($summary, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE) . "\n";
