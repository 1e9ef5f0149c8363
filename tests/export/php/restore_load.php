<?php
/*
 * Loads a WXR file into the WordPress of WPA_DB_NAME through WordPress's own API, with the
 * WordPress importer's parsing rules (its WXR_Parser_SimpleXML: namespaces of WXR 1.2,
 * wp:author, wp:category with parents by slug, wp:tag, items with wp:postmeta and
 * wp:comment): no importer plugin is packaged for Debian, so the test brings its own.
 *
 *   php restore_load.php blog.xml files.json   (files.json: attachment URL → local file)
 *
 * Ids are kept (import_id for posts and attachments, comment ids set after insertion) so
 * the restored blog's URLs are the original's. Prints a JSON summary.
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/wordpress/php/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

/**
 * WordPress's result, or the script stops (uncaught: PHP prints it and exits non-zero)
 * saying what failed.
 *
 * @param mixed $result
 * @return mixed
 */
function wpa_ok($result, string $what)
{
    if (is_wp_error($result)) {
        throw new RuntimeException("$what: " . $result->get_error_message());
    }
    if ($result === false || $result === 0) {
        throw new RuntimeException("$what failed");
    }
    return $result;
}

global $wpdb;
$file = $argv[1] ?? throw new RuntimeException('usage: restore_load.php blog.xml files.json');
$files = json_decode((string) file_get_contents($argv[2]), true, 512, JSON_THROW_ON_ERROR);

// The importer's parse: SimpleXML with LIBXML_PARSEHUGE, namespaces by URI.
$xml = simplexml_load_file($file, 'SimpleXMLElement', LIBXML_PARSEHUGE);
if ($xml === false) {
    throw new RuntimeException("$file is not well-formed XML");
}
$namespaces = $xml->getDocNamespaces();
$wpNs = $namespaces['wp'] ?? throw new RuntimeException('no wp namespace');
$version = (string) $xml->xpath('/rss/channel/wp:wxr_version')[0];
if (!preg_match('/^\d+\.\d+$/', $version)) {
    throw new RuntimeException('no wp:wxr_version');
}
$baseUrl = rtrim((string) $xml->xpath('/rss/channel/wp:base_blog_url')[0], '/');

$admins = get_users(['role' => 'administrator', 'fields' => 'ID']);
wp_set_current_user((int) $admins[0]);
kses_remove_filters();
remove_action('publish_post', '_publish_post_hook', 5);
wp_defer_term_counting(true);
wp_defer_comment_counting(true);
$summary = ['authors' => 0, 'terms' => 0, 'posts' => 0, 'attachments' => 0, 'comments' => 0];

/* ---- Authors: a user per wp:author, by login --------------------------------------------- */
$users = [];
foreach ($xml->xpath('/rss/channel/wp:author') as $author) {
    $a = $author->children($wpNs);
    $login = (string) $a->author_login;
    $users[$login] = wpa_ok(wp_insert_user([
        'user_login' => $login,
        'user_nicename' => $login,
        'display_name' => (string) $a->author_display_name,
        'user_email' => (string) $a->author_email,
        'user_pass' => wp_generate_password(),
        'role' => 'author',
    ]), "user $login");
    $summary['authors']++;
}

/* ---- Terms: categories (parents come first) and tags -------------------------------------- */
foreach ($xml->xpath('/rss/channel/wp:category') as $category) {
    $c = $category->children($wpNs);
    $parent = (string) $c->category_parent;
    $parentId = $parent === '' ? 0 : (int) (term_exists($parent, 'category')['term_id'] ?? 0);
    wpa_ok(wp_insert_term((string) $c->cat_name, 'category', [
        'slug' => (string) $c->category_nicename, 'parent' => $parentId,
    ]), 'category ' . $c->category_nicename);
    $summary['terms']++;
}
foreach ($xml->xpath('/rss/channel/wp:tag') as $tag) {
    $t = $tag->children($wpNs);
    wpa_ok(wp_insert_term((string) $t->tag_name, 'post_tag', ['slug' => (string) $t->tag_slug]),
        'tag ' . $t->tag_slug);
    $summary['terms']++;
}

/* ---- Items ---------------------------------------------------------------------------------- */
// Rows the file gives no id get one above every id it names, so none takes an id a later
// post or comment of the file keeps.
foreach (['posts' => '//wp:post_id', 'comments' => '//wp:comment_id'] as $table => $path) {
    $ids = array_map('intval', array_map('strval', $xml->xpath($path)));
    $next = max([0, ...$ids]) + 1;
    $wpdb->query("ALTER TABLE {$wpdb->$table} AUTO_INCREMENT = $next");
}
$uploads = wp_upload_dir();
$attachmentsByUrl = [];
$featuredByUrl = [];
foreach ($xml->channel->item as $item) {
    $wp = $item->children($wpNs);
    $type = (string) $wp->post_type;
    $meta = [];
    foreach ($wp->postmeta as $m) {
        $meta[(string) $m->meta_key] = (string) $m->meta_value;
    }
    if ($type === 'attachment') {
        $url = (string) $wp->attachment_url;
        $relative = substr($url, strpos($url, '/wp-content/uploads/') + strlen('/wp-content/uploads/'));
        $target = $uploads['basedir'] . '/' . $relative;
        wp_mkdir_p(dirname($target));
        if (isset($files[$url])) {
            copy($files[$url], $target);
        }
        $id = wpa_ok(wp_insert_attachment([
            'import_id' => (int) $wp->post_id,
            'post_title' => (string) $item->title,
            'post_excerpt' => (string) $item->children('http://wordpress.org/export/1.2/excerpt/')->encoded,
            'post_name' => (string) $wp->post_name,
            'post_status' => 'inherit',
            'post_mime_type' => wp_check_filetype($target)['type'],
            'guid' => $uploads['baseurl'] . '/' . $relative,
        ], $target, (int) $wp->post_parent), "attachment $url");
        if (isset($meta['_wp_attachment_image_alt'])) {
            update_post_meta($id, '_wp_attachment_image_alt', $meta['_wp_attachment_image_alt']);
        }
        $attachmentsByUrl[$url] = $id;
        $summary['attachments']++;
        continue;
    }
    $author = (string) $item->children('http://purl.org/dc/elements/1.1/')->creator;
    $content = (string) $item->children('http://purl.org/rss/1.0/modules/content/')->encoded;
    // As the importer's backfill_attachment_urls: the blog's uploads are now ours.
    $content = str_replace($baseUrl . '/wp-content/uploads/', $uploads['baseurl'] . '/', $content);
    $postarr = [
        'import_id' => (int) $wp->post_id,
        'post_author' => $users[$author] ?? 0,
        'post_title' => (string) $item->title,
        'post_content' => $content,
        'post_excerpt' => (string) $item->children('http://wordpress.org/export/1.2/excerpt/')->encoded,
        'post_name' => (string) $wp->post_name,
        'post_status' => (string) $wp->status,
        'post_type' => $type,
    ];
    foreach (['post_date', 'post_date_gmt'] as $field) {
        if ((string) $wp->$field !== '') {
            $postarr[$field] = (string) $wp->$field;
        }
    }
    $postId = wpa_ok(wp_insert_post(wp_slash($postarr), true), 'post ' . $wp->post_id);
    // wp_insert_post dates a new post's modification at its publication: the file says when.
    $modifiedGmt = (string) $wp->post_modified_gmt;
    if ($modifiedGmt !== '') {
        $modified = (string) $wp->post_modified ?: get_date_from_gmt($modifiedGmt);
        $wpdb->update($wpdb->posts, ['post_modified' => $modified, 'post_modified_gmt' => $modifiedGmt], ['ID' => $postId]);
    }
    $terms = ['category' => [], 'post_tag' => []];
    foreach ($item->category as $category) {
        $terms[(string) $category['domain']][] = (int) get_term_by('slug', (string) $category['nicename'], (string) $category['domain'])->term_id;
    }
    foreach ($terms as $taxonomy => $ids) {
        wpa_ok(wp_set_object_terms($postId, $ids, $taxonomy), "terms of $postId");
    }
    foreach ($meta as $key => $value) {
        if ($key === '_thumbnail_id') {
            set_post_thumbnail($postId, (int) $value);
        } elseif ($key === '_wparchive_featured_image_url') {
            $featuredByUrl[$value] = $postId;
        } else {
            add_post_meta($postId, wp_slash($key), wp_slash($value));
        }
    }
    $previousDateGmt = (string) $wp->post_date_gmt;
    foreach ($wp->comment as $comment) {
        $c = $comment->children($wpNs);
        $data = [
            'comment_post_ID' => $postId,
            'comment_author' => (string) $c->comment_author,
            'comment_author_email' => (string) $c->comment_author_email,
            'comment_author_url' => (string) $c->comment_author_url,
            'comment_author_IP' => (string) $c->comment_author_IP,
            'comment_content' => (string) $c->comment_content,
            'comment_approved' => (string) $c->comment_approved,
            'comment_type' => (string) $c->comment_type,
            'comment_parent' => (int) $c->comment_parent,
            'user_id' => (int) $c->comment_user_id,
        ];
        // A ping the blog showed without a date has none in the file: it takes the date of
        // the thread before it (the file lists comments in the blog's order), so it keeps
        // its place among the threads and on the comment pages.
        $dateGmt = (string) $c->comment_date_gmt ?: $previousDateGmt;
        if ($dateGmt !== '') {
            $data['comment_date_gmt'] = $dateGmt;
            $data['comment_date'] = (string) $c->comment_date ?: get_date_from_gmt($dateGmt);
            if ((int) $c->comment_parent === 0) {
                $previousDateGmt = $dateGmt;
            }
        }
        $newId = wpa_ok(wp_insert_comment(wp_slash($data)), 'comment ' . $c->comment_id);
        // wp_insert_comment takes no id: give the comment the one its URLs carry.
        $wpdb->update($wpdb->comments, ['comment_ID' => (int) $c->comment_id], ['comment_ID' => $newId]);
        $summary['comments']++;
    }
    $summary['posts']++;
}
foreach ($featuredByUrl as $url => $postId) {
    set_post_thumbnail($postId, $attachmentsByUrl[$url] ?? throw new RuntimeException("no attachment for $url"));
}
wp_defer_term_counting(false);
wp_defer_comment_counting(false);
foreach (get_posts(['numberposts' => -1, 'fields' => 'ids', 'post_status' => 'any']) as $id) {
    wp_update_comment_count_now($id);
}
wp_cache_flush();
echo wp_json_encode($summary) . "\n";
