<?php
/*
 * Core's own WXR of the fixture blog: WordPress's export_wp() (Tools → Export, all content),
 * printed on stdout. Run like truth.php, with the served origin in WPA_HOME.
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/wordpress/php/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

export_wp(['content' => 'all']);
