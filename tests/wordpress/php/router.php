<?php
/*
 * Router for PHP's built-in server (php -S 127.0.0.1:PORT -t /usr/share/wordpress router.php):
 * pretty permalinks plus /wp-content/ served from the state dir (WPA_CONTENT_DIR).
 */

// Makes Debian's wp-config.php load /etc/wordpress/config-wparchive.php (see debian-config-stub.php).
$_SERVER['WORDPRESS_CONFIG'] = 'wparchive';

$wpa_root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$wpa_path = rawurldecode((string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));

/** Runs a PHP script of the WordPress tree as if the server had dispatched to it. */
function wpa_run_script(string $root, string $script): void
{
    $_SERVER['SCRIPT_FILENAME'] = $root . $script;
    $_SERVER['SCRIPT_NAME'] = $script;
    $_SERVER['PHP_SELF'] = $script;
    chdir(dirname($root . $script));
    require $root . $script;
}

/** Serves a static file from the content dir (the built-in server only serves the docroot). */
function wpa_send_static(string $file): void
{
    static $types = [
        'css' => 'text/css; charset=UTF-8', 'js' => 'text/javascript; charset=UTF-8',
        'json' => 'application/json', 'txt' => 'text/plain; charset=UTF-8',
        'html' => 'text/html; charset=UTF-8', 'svg' => 'image/svg+xml', 'png' => 'image/png',
        'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg', 'gif' => 'image/gif', 'webp' => 'image/webp',
        'ico' => 'image/x-icon', 'woff' => 'font/woff', 'woff2' => 'font/woff2', 'ttf' => 'font/ttf',
    ];
    $ext = strtolower(pathinfo($file, PATHINFO_EXTENSION));
    $mtime = (int) filemtime($file);
    $since = $_SERVER['HTTP_IF_MODIFIED_SINCE'] ?? '';
    header('Content-Type: ' . ($types[$ext] ?? (mime_content_type($file) ?: 'application/octet-stream')));
    header('Last-Modified: ' . gmdate('D, d M Y H:i:s', $mtime) . ' GMT');
    if ($since !== '' && strtotime($since) >= $mtime) {
        http_response_code(304);
        return;
    }
    header('Content-Length: ' . filesize($file));
    if ($_SERVER['REQUEST_METHOD'] !== 'HEAD') {
        readfile($file);
    }
}

if (str_starts_with($wpa_path, '/wp-content/')) {
    $relative = substr($wpa_path, strlen('/wp-content'));
    $file = getenv('WPA_CONTENT_DIR') . $relative;
    // Refuse traversal and never execute or disclose PHP from wp-content.
    if (!str_contains($relative, '/..') && !str_ends_with(strtolower($relative), '.php') && is_file($file)) {
        wpa_send_static($file);
        return true;
    }
    // Anything else under /wp-content/ gets WordPress's own 404 page below.
} elseif ($wpa_path !== '/' && !str_contains($wpa_path, '/..')) {
    $target = $wpa_root . $wpa_path;
    if (is_file($target)) {
        if (str_ends_with($wpa_path, '.php')) {
            wpa_run_script($wpa_root, $wpa_path);
            return true;
        }
        return false; // Static file of the WordPress tree: let the built-in server send it.
    }
    if (is_dir($target) && is_file(rtrim($target, '/') . '/index.php')) {
        wpa_run_script($wpa_root, rtrim($wpa_path, '/') . '/index.php');
        return true;
    }
}

// Pretty permalinks: every other URL is WordPress's front controller.
wpa_run_script($wpa_root, '/index.php');
return true;
