<?php
/*
 * Ground truth of the seeded blog, exported from WordPress's own database through its own API,
 * for the origin being served (WPA_HOME) and the theme/switches of that server (WPA_THEME,
 * WPA_DISABLE). Prints JSON on stdout. Structure: see tests/wordpress/README.md.
 */

declare(strict_types=1);

require __DIR__ . '/bootstrap.php';

global $wpdb;

/** Decodes the HTML entities WordPress's display filters add (&#038;, &#8217;, &amp;...). */
function wpa_text(string $html): string
{
    return html_entity_decode($html, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}

function wpa_iso(?DateTimeImmutable $date): ?string
{
    return $date ? $date->format(DATE_ATOM) : null;
}

function wpa_marker(string $text): ?string
{
    return preg_match('/NONPUBLIC-MARKER-[A-Z0-9]+/', $text, $m) ? $m[0] : null;
}

/** Title as themes display it (wptexturize etc.), entities decoded, without "Protected: ". */
function wpa_title(WP_Post $post): string
{
    $format = static fn() => '%s';
    add_filter('protected_title_format', $format);
    add_filter('private_title_format', $format);
    $title = get_the_title($post);
    remove_filter('protected_title_format', $format);
    remove_filter('private_title_format', $format);
    return wpa_text($title);
}

/** @return list<array{id: int, name: string, slug: string, url: string}> */
function wpa_terms(int $postId, string $taxonomy): array
{
    $terms = wp_get_post_terms($postId, $taxonomy, ['orderby' => 'term_id']);
    return array_map(static fn(WP_Term $t) => [
        'id' => $t->term_id,
        'name' => wpa_text($t->name),
        'slug' => $t->slug,
        'url' => get_term_link($t),
    ], is_array($terms) ? $terms : []);
}

function wpa_comment_type(WP_Comment $c): string
{
    return in_array($c->comment_type, ['pingback', 'trackback'], true) ? $c->comment_type : 'comment';
}

$disabled = array_values(array_filter(array_map('trim', explode(',', (string) getenv('WPA_DISABLE')))));
$home = home_url('/');

/* ---- Authors --------------------------------------------------------------------------------- */

$authors = [];
foreach (get_users(['orderby' => 'ID', 'order' => 'ASC']) as $user) {
    $authors[$user->ID] = [
        'id' => $user->ID,
        'login' => $user->user_login,
        'nicename' => $user->user_nicename,
        'display_name' => $user->display_name,
        'url' => $user->user_url,
        'posts_url' => get_author_posts_url($user->ID),
        'public_posts' => 0,
    ];
}

/* ---- Public posts ---------------------------------------------------------------------------- */

$postObjects = get_posts([
    'post_type' => 'post',
    'post_status' => 'publish',
    'numberposts' => -1,
    'orderby' => 'ID',
    'order' => 'ASC',
    'ignore_sticky_posts' => true,
    'suppress_filters' => true,
]);

$posts = [];
$publicPostIds = [];
$protectedPostIds = [];
foreach ($postObjects as $post) {
    $protected = $post->post_password !== '';
    if ($protected) {
        $protectedPostIds[] = $post->ID;
    } else {
        $publicPostIds[] = $post->ID;
    }
    $authors[$post->post_author]['public_posts']++;

    $thumbId = (int) get_post_thumbnail_id($post);
    $featured = null;
    if ($thumbId) {
        [$src, $width, $height] = wp_get_attachment_image_src($thumbId, 'full');
        $featured = [
            'id' => $thumbId,
            'url' => $src,
            'width' => $width,
            'height' => $height,
            'alt' => get_post_meta($thumbId, '_wp_attachment_image_alt', true),
            'caption' => wp_get_attachment_caption($thumbId) ?: null,
        ];
    }
    $bodyImages = [];
    foreach (json_decode((string) get_post_meta($post->ID, '_wpa_body_images', true), true) ?: [] as $imageId) {
        $bodyImages[] = [
            'id' => $imageId,
            'url' => wp_get_attachment_url($imageId),
            'caption' => wp_get_attachment_caption($imageId) ?: null,
        ];
    }

    $approved = get_comments(['post_id' => $post->ID, 'status' => 'approve', 'orderby' => 'comment_date_gmt', 'order' => 'ASC']);
    $contentHtml = null;
    if (!$protected) {
        // Rendered outside the main loop: markup equals the page's except for loop-dependent
        // attributes (e.g. loading="lazy" on the first image).
        $GLOBALS['post'] = $post;
        setup_postdata($post);
        $GLOBALS['more'] = 1; // the full body, as on the single-post page (not cut at <!--more-->)
        $contentHtml = apply_filters('the_content', get_the_content(null, false));
        wp_reset_postdata();
    }

    $posts[] = [
        'id' => $post->ID,
        'permalink' => get_permalink($post),
        'slug' => $post->post_name,
        'title' => wpa_title($post),
        'title_raw' => $post->post_title,
        'date' => $post->post_date,
        'date_gmt' => $post->post_date_gmt,
        'date_iso' => wpa_iso(get_post_datetime($post, 'date')),
        'modified' => $post->post_modified,
        'modified_gmt' => $post->post_modified_gmt,
        'modified_iso' => wpa_iso(get_post_datetime($post, 'modified')),
        'author' => [
            'id' => (int) $post->post_author,
            'display_name' => $authors[$post->post_author]['display_name'],
            'posts_url' => $authors[$post->post_author]['posts_url'],
        ],
        'categories' => wpa_terms($post->ID, 'category'),
        'tags' => wpa_terms($post->ID, 'post_tag'),
        'sticky' => is_sticky($post->ID),
        'password_protected' => $protected,
        'has_more_tag' => str_contains($post->post_content, '<!--more-->'),
        'editor' => has_blocks($post->post_content) ? 'block' : 'classic',
        'featured_image' => $featured,
        'body_images' => $bodyImages,
        'credits' => json_decode((string) get_post_meta($post->ID, '_wpa_credits', true), true) ?: [],
        // {"work": {"title", "year", "type"} | null, "rating": {"value", "best", "worst", "source"} | null}
        'review' => array_intersect_key(json_decode((string) get_post_meta($post->ID, '_wpa_review', true), true)
            ?: ['work' => null, 'rating' => null], ['work' => 1, 'rating' => 1]),
        'comment_status' => $post->comment_status,
        // As WordPress stores it: approved comments of every type (pingbacks/trackbacks included).
        'comment_count' => (int) $post->comment_count,
        'comment_pages' => $approved ? (int) get_comment_pages_count($approved, (int) get_option('comments_per_page'), true) : 0,
        'content_html' => $contentHtml,
    ];
}

/* ---- Approved comments on public posts ------------------------------------------------------- */

$comments = [];
$depthOf = [];
if ($publicPostIds) {
    $all = get_comments(['post__in' => $publicPostIds, 'status' => 'approve', 'orderby' => 'comment_ID', 'order' => 'ASC', 'type' => 'all']);
    foreach ($all as $c) {
        $parent = (int) $c->comment_parent;
        $depthOf[$c->comment_ID] = $parent ? $depthOf[$parent] + 1 : 1;
        $comments[] = [
            'id' => (int) $c->comment_ID,
            'post_id' => (int) $c->comment_post_ID,
            'parent' => $parent,
            'depth' => $depthOf[$c->comment_ID],
            'type' => wpa_comment_type($c),
            'author' => $c->comment_author,
            'author_url' => $c->comment_author_url !== '' ? $c->comment_author_url : null,
            'user_id' => (int) $c->user_id,
            'date' => $c->comment_date,
            'date_gmt' => $c->comment_date_gmt,
            'date_iso' => (new DateTimeImmutable($c->comment_date_gmt, new DateTimeZone('UTC')))->setTimezone(wp_timezone())->format(DATE_ATOM),
            'content' => $c->comment_content,
            'page' => (int) get_page_of_comment($c->comment_ID),
            'link' => get_comment_link($c),
        ];
    }
}

/* ---- Non-public items ------------------------------------------------------------------------ */

$nonpublicPosts = [];
$rows = $wpdb->get_results("SELECT * FROM {$wpdb->posts} WHERE post_type IN ('post', 'page')
    AND (post_status NOT IN ('publish', 'inherit', 'auto-draft') OR post_password <> '') ORDER BY ID");
foreach ($rows as $row) {
    $post = get_post((int) $row->ID);
    // The URL the post would have if it were public (pretty permalink built from its slug/date).
    $asPublic = clone $post;
    $asPublic->post_status = 'publish';
    $asPublic->post_name = $post->post_name !== '' ? $post->post_name : sanitize_title($post->post_title);
    $nonpublicPosts[] = [
        'id' => $post->ID,
        'type' => $post->post_type,
        'status' => $post->post_status,
        'password_protected' => $post->post_password !== '',
        'title' => $post->post_title,
        'marker' => wpa_marker($post->post_content),
        'url' => home_url('/?p=' . $post->ID),
        'pretty_url' => get_permalink($asPublic),
    ];
}
$nonpublicComments = [];
$publicList = $publicPostIds ? implode(',', array_map('intval', $publicPostIds)) : '0';
$rows = $wpdb->get_results("SELECT * FROM {$wpdb->comments} WHERE comment_approved <> '1'
    OR comment_post_ID NOT IN ($publicList) ORDER BY comment_ID");
$statusNames = ['0' => 'pending', '1' => 'approved', 'spam' => 'spam', 'trash' => 'trash', 'post-trashed' => 'post-trashed'];
foreach ($rows as $row) {
    $onProtected = in_array((int) $row->comment_post_ID, $protectedPostIds, true);
    $status = $statusNames[$row->comment_approved] ?? $row->comment_approved;
    $nonpublicComments[] = [
        'id' => (int) $row->comment_ID,
        'post_id' => (int) $row->comment_post_ID,
        'status' => $status === 'approved' ? ($onProtected ? 'approved-on-protected-post' : 'approved-on-non-public-post') : $status,
        'type' => wpa_comment_type(get_comment($row->comment_ID)),
        'marker' => wpa_marker($row->comment_content),
    ];
}

/* ---- Pages, taxonomies, blog ------------------------------------------------------------------ */

$pages = array_map(static fn(WP_Post $p) => [
    'id' => $p->ID,
    'title' => wpa_title($p),
    'permalink' => get_permalink($p),
], get_posts(['post_type' => 'page', 'post_status' => 'publish', 'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC']));

$taxonomy = static fn(string $tax) => array_map(static fn(WP_Term $t) => [
    'id' => $t->term_id,
    'name' => wpa_text($t->name),
    'slug' => $t->slug,
    'parent' => $t->parent,
    'url' => get_term_link($t),
    'count' => $t->count,
], get_terms(['taxonomy' => $tax, 'hide_empty' => false, 'orderby' => 'term_id']));

$countType = static fn(string $type) => count(array_filter($comments, static fn($c) => $c['type'] === $type));

$truth = [
    'seed_version' => get_option('wpa_seed_version'),
    'wordpress_version' => get_bloginfo('version'),
    'blog' => [
        'home' => $home,
        'name' => wpa_text(get_bloginfo('name', 'display')),
        'description' => wpa_text(get_bloginfo('description', 'display')),
        'language' => get_bloginfo('language'),
        'theme' => get_stylesheet(),
        'timezone' => wp_timezone_string(),
        'date_format' => get_option('date_format'),
        'permalink_structure' => get_option('permalink_structure'),
        'posts_per_page' => (int) get_option('posts_per_page'),
        'thread_comments_depth' => (int) get_option('thread_comments_depth'),
        'comments_per_page' => (int) get_option('comments_per_page'),
        'default_comments_page' => get_option('default_comments_page'),
        'comment_order' => get_option('comment_order'),
        'disabled' => $disabled,
        'endpoints' => [
            'rest_api' => in_array('rest', $disabled, true) ? null : get_rest_url(),
            'sitemap' => in_array('sitemap', $disabled, true) ? null : home_url('/wp-sitemap.xml'),
            'feed' => in_array('feed', $disabled, true) ? null : get_feed_link(),
            'comments_feed' => in_array('feed', $disabled, true) ? null : get_feed_link('comments_rss2'),
        ],
    ],
    'counts' => [
        'posts' => count($posts),
        'password_protected_posts' => count($protectedPostIds),
        'sticky_posts' => count(array_filter($posts, static fn($p) => $p['sticky'])),
        'posts_with_credits' => count(array_filter($posts, static fn($p) => $p['credits'] !== [])),
        'credits' => array_sum(array_map(static fn($p) => count($p['credits']), $posts)),
        'comments' => count($comments),
        'comments_by_type' => ['comment' => $countType('comment'), 'pingback' => $countType('pingback'), 'trackback' => $countType('trackback')],
        'posts_with_comment_pages' => count(array_filter($posts, static fn($p) => $p['comment_pages'] > 1)),
        'max_comment_depth' => $depthOf ? max($depthOf) : 0,
        'nonpublic_posts' => count($nonpublicPosts),
        'nonpublic_comments' => count($nonpublicComments),
    ],
    'authors' => array_values(array_filter($authors, static fn($a) => $a['public_posts'] > 0)),
    'categories' => $taxonomy('category'),
    'tags' => $taxonomy('post_tag'),
    'pages' => $pages,
    'posts' => $posts,
    'comments' => $comments,
    'non_public' => ['posts' => $nonpublicPosts, 'comments' => $nonpublicComments],
];

echo wp_json_encode($truth, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n";
