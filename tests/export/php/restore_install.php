<?php
/*
 * An empty WordPress for the restore test: wp_install() into the (empty) database named by
 * WPA_DB_NAME, core's sample content removed, and the site settings of the original blog
 * that a WXR does not carry (JSON on stdin: timezone, permalinks, comment paging…).
 */

declare(strict_types=1);

define('WP_INSTALLING', true);

// Pluggable: defined before upgrade.php so wp_install() does not try to e-mail anyone.
function wp_new_blog_notification($blog_title, $blog_url, $user_id, $password): void
{
}

require dirname(__DIR__, 2) . '/wordpress/php/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (is_blog_installed()) {
    fwrite(STDERR, "restore_install.php needs an empty database\n");
    exit(2);
}
$settings = json_decode((string) stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);

global $wp_rewrite;
wp_install($settings['name'], 'restorer', '', 1, '', 'wparchive-restorer');
wp_installing(false);
wp_cache_flush();
foreach (get_posts(['post_type' => 'any', 'post_status' => 'any', 'numberposts' => -1, 'fields' => 'ids']) as $id) {
    wp_delete_post($id, true);
}
foreach (get_comments(['status' => 'all']) as $comment) {
    wp_delete_comment($comment, true);
}
foreach ($settings['options'] as $name => $value) {
    update_option($name, $value);
}
$wp_rewrite->set_permalink_structure($settings['permalink_structure']);
create_initial_post_types();
create_initial_taxonomies();
flush_rewrite_rules(false);
echo "installed\n";
