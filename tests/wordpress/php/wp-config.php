<?php
/*
 * WordPress configuration of the wparchive test fixture, loaded through Debian's
 * /usr/share/wordpress/wp-config.php -> /etc/wordpress/config-wparchive.php -> this file.
 *
 * Everything that differs between processes comes from the environment (set by wpsite.py), so one
 * seeded database can be served on several ports (one PHP server per theme) at the same time.
 */

function wpa_env(string $name): string
{
    $value = getenv($name);
    if (!is_string($value) || $value === '') {
        header('HTTP/1.0 500 Internal Server Error');
        echo "wparchive test WordPress: environment variable $name is not set\n";
        exit(1);
    }
    return $value;
}

define('DB_NAME', wpa_env('WPA_DB_NAME'));
define('DB_USER', wpa_env('WPA_DB_USER'));
define('DB_PASSWORD', wpa_env('WPA_DB_PASSWORD'));
// "localhost:/path/to.sock" makes wpdb use the private MariaDB's unix socket.
define('DB_HOST', 'localhost:' . wpa_env('WPA_DB_SOCKET'));
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');

// Fixed salts: this is a throw-away test site bound to 127.0.0.1.
define('AUTH_KEY', 'wparchive-test-auth-key');
define('SECURE_AUTH_KEY', 'wparchive-test-secure-auth-key');
define('LOGGED_IN_KEY', 'wparchive-test-logged-in-key');
define('NONCE_KEY', 'wparchive-test-nonce-key');
define('AUTH_SALT', 'wparchive-test-auth-salt');
define('SECURE_AUTH_SALT', 'wparchive-test-secure-auth-salt');
define('LOGGED_IN_SALT', 'wparchive-test-logged-in-salt');
define('NONCE_SALT', 'wparchive-test-nonce-salt');

// The served origin, e.g. http://127.0.0.1:18401 (no trailing slash).
define('WP_HOME', rtrim(wpa_env('WPA_HOME'), '/'));
define('WP_SITEURL', WP_HOME);
// Origin the seed ran under; absolute URLs stored in post bodies use it (see the mu-plugin).
define('WPA_SEED_HOME', rtrim(wpa_env('WPA_SEED_HOME'), '/'));

// Uploads live in the state dir; themes are symlinked there from the Debian packages.
define('WP_CONTENT_DIR', wpa_env('WPA_CONTENT_DIR'));
define('WP_CONTENT_URL', WP_HOME . '/wp-content');
define('WPMU_PLUGIN_DIR', dirname(__DIR__) . '/mu-plugins');
define('WPMU_PLUGIN_URL', WP_CONTENT_URL . '/mu-plugins');

// Keep the site offline and quiet: no cron loopbacks, no outgoing HTTP, no updates.
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('DISALLOW_FILE_MODS', true);
define('WP_DEBUG', false);

$table_prefix = 'wp_';
