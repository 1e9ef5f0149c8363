<?php
/**
 * Plugin Name: wparchive test fixture
 * Description: Per-process theme, switchable discovery routes and an offline front end for the
 *              seeded test blog. Loaded as a must-use plugin (WPMU_PLUGIN_DIR in php/wp-config.php).
 *
 * Environment:
 *   WPA_THEME    stylesheet to render with (twentytwentyone, twentytwentytwo, twentytwentythree);
 *                overrides the stored options so ONE database serves every theme.
 *   WPA_DISABLE  comma-separated subset of rest,sitemap,feed to switch off for this process.
 */

if (!defined('ABSPATH')) {
    exit;
}

/* ---- Theme per server process ------------------------------------------------------------ */

$wpa_theme = getenv('WPA_THEME');
if (is_string($wpa_theme) && $wpa_theme !== '') {
    // pre_option_* short-circuits get_option(), so nothing is written to the shared database.
    add_filter('pre_option_stylesheet', static fn() => $wpa_theme);
    add_filter('pre_option_template', static fn() => $wpa_theme);
}

/* ---- Switchable discovery routes (WPA_DISABLE=rest,sitemap,feed) ------------------------- */

/** @return string[] */
function wpa_disabled_features(): array
{
    $raw = getenv('WPA_DISABLE');
    if (!is_string($raw) || $raw === '') {
        return [];
    }
    return array_values(array_filter(array_map('trim', explode(',', strtolower($raw)))));
}

$wpa_disabled = wpa_disabled_features();

if (in_array('rest', $wpa_disabled, true)) {
    // As if the site had no REST API: no discovery links and /wp-json/ is WordPress's 404 page.
    remove_action('wp_head', 'rest_output_link_wp_head', 10);
    remove_action('template_redirect', 'rest_output_link_header', 11);
    remove_action('xmlrpc_rsd_apis', 'rest_output_rsd');
    remove_action('parse_request', 'rest_api_loaded');
    add_filter('query_vars', static fn(array $vars): array => array_values(array_diff($vars, ['rest_route'])));
    // The rewrite rules are stored in the shared database, so drop the REST ones at read time.
    add_filter('option_rewrite_rules', static function ($rules) {
        if (!is_array($rules)) {
            return $rules;
        }
        return array_filter($rules, static fn($key) => !str_contains((string) $key, 'wp-json'), ARRAY_FILTER_USE_KEY);
    });
}

if (in_array('sitemap', $wpa_disabled, true)) {
    // Core then answers /wp-sitemap*.xml with a 404 and leaves the Sitemap: line out of robots.txt.
    add_filter('wp_sitemaps_enabled', '__return_false');
}

if (in_array('feed', $wpa_disabled, true)) {
    remove_action('wp_head', 'feed_links', 2);
    remove_action('wp_head', 'feed_links_extra', 3);
    // Turn any feed request (/feed/, /comments/feed/, /category/x/feed/, ?feed=rss2) into a 404
    // before WP::send_headers() emits feed headers; the theme renders its normal 404 page.
    add_action('parse_request', static function (WP $wp): void {
        if (!empty($wp->query_vars['feed'])) {
            $wp->query_vars = ['error' => '404'];
        }
    }, 0);
}

/* ---- Offline front end ------------------------------------------------------------------- */

// No outgoing HTTP at all (pingbacks, update checks, oEmbed discovery, loopbacks).
add_filter('pre_http_request', static fn() => new WP_Error('wpa_offline', 'The wparchive test site is offline.'), 0);
// No mail (wp_mail() would try /usr/sbin/sendmail).
add_filter('pre_wp_mail', '__return_false');
// No emoji CDN (s.w.org): detection script, styles, static emoji images in feeds, dns-prefetch.
remove_action('wp_head', 'print_emoji_detection_script', 7);
remove_action('wp_print_styles', 'print_emoji_styles');
remove_filter('the_content_feed', 'wp_staticize_emoji');
remove_filter('comment_text_rss', 'wp_staticize_emoji');
add_filter('emoji_svg_url', '__return_false');
// Avatars are local files (written by seed.php) instead of gravatar.com.
add_filter('pre_get_avatar_data', static function (array $args): array {
    $args['url'] = content_url('uploads/wparchive/avatar.png');
    $args['found_avatar'] = true;
    return $args;
});

/* ---- One database, several origins ------------------------------------------------------- */

// Post bodies store absolute URLs of the origin the seed ran under (WPA_SEED_HOME), like any real
// blog stores its own URLs; rewrite them to the origin actually served, as a site migration would.
if (defined('WPA_SEED_HOME') && WPA_SEED_HOME !== WP_HOME) {
    $wpa_rewrite_origin = static fn($text) => is_string($text) ? str_replace(WPA_SEED_HOME, WP_HOME, $text) : $text;
    add_filter('the_content', $wpa_rewrite_origin, 0);
    add_filter('the_excerpt', $wpa_rewrite_origin, 0);
    add_filter('comment_text', $wpa_rewrite_origin, 0);
}

/* ---- A review plugin's JSON-LD ----------------------------------------------------------- */

// As Rank Math and WP Review do: the review's schema.org graph printed in wp_head from the
// post's meta (seed.php's _wpa_review), a Movie wrapping the critic's Review.
add_action('wp_head', static function (): void {
    if (!is_singular('post')) {
        return;
    }
    $post = get_queried_object();
    $review = json_decode((string) get_post_meta($post->ID, '_wpa_review', true), true);
    if (!is_array($review) || ($review['form'] ?? null) !== 'json-ld') {
        return;
    }
    $graph = [
        ['@type' => 'WebPage', '@id' => get_permalink($post) . '#webpage', 'url' => get_permalink($post),
            'name' => get_the_title($post)],
        ['@type' => 'Movie', '@id' => get_permalink($post) . '#schema-review', 'name' => $review['work']['title'],
            'dateCreated' => (string) $review['work']['year'], 'image' => get_the_post_thumbnail_url($post, 'full') ?: null,
            'review' => ['@type' => 'Review', 'author' => ['@type' => 'Person',
                'name' => get_the_author_meta('display_name', (int) $post->post_author)],
                'reviewRating' => ['@type' => 'Rating', 'ratingValue' => (string) $review['rating']['value'],
                    'bestRating' => (string) $review['rating']['best'], 'worstRating' => (string) $review['rating']['worst']]]],
    ];
    echo '<script type="application/ld+json" class="rank-math-schema">'
        . wp_json_encode(['@context' => 'https://schema.org', '@graph' => $graph], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)
        . "</script>\n";
}, 5);
