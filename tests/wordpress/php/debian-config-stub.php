<?php
/*
 * Installed as /etc/wordpress/config-wparchive.php by tests/wordpress (install.sh / wpsite.py).
 *
 * Debian's /usr/share/wordpress/wp-config.php loads /etc/wordpress/config-$WORDPRESS_CONFIG.php
 * when $_SERVER['WORDPRESS_CONFIG'] is set (our router and CLI bootstrap set it to "wparchive").
 * This stub only delegates to the env-driven config kept in the repository, so the system file
 * never needs to change when the fixture does.
 */
$wpa_config = getenv('WPA_WP_CONFIG');
if (!is_string($wpa_config) || $wpa_config === '' || !is_file($wpa_config)) {
    header('HTTP/1.0 500 Internal Server Error');
    echo "wparchive test WordPress: WPA_WP_CONFIG is not set or not a file\n";
    exit(1);
}
require $wpa_config;
