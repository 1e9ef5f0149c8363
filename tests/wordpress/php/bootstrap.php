<?php
/*
 * Loads WordPress for the CLI scripts (seed.php, truth.php) the same way the web server does:
 * Debian's wp-config.php -> /etc/wordpress/config-wparchive.php -> php/wp-config.php.
 */
if (PHP_SAPI !== 'cli') {
    exit(1);
}
$wpa_home = getenv('WPA_HOME') ?: '';
$wpa_host = (string) parse_url($wpa_home, PHP_URL_HOST);
$wpa_port = parse_url($wpa_home, PHP_URL_PORT);
$_SERVER['WORDPRESS_CONFIG'] = 'wparchive';
$_SERVER['HTTP_HOST'] = $wpa_port ? "$wpa_host:$wpa_port" : $wpa_host;
$_SERVER['SERVER_NAME'] = $wpa_host;
$_SERVER['SERVER_PORT'] = (string) ($wpa_port ?: 80);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';

require '/usr/share/wordpress/wp-load.php';
