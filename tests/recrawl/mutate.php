<?php
/*
 * The change set of the re-crawl tests, through WordPress's own PHP API: 3 new posts with
 * comments, 2 edited bodies, 5 new comments on old posts (one a reply), 1 comment and 1 post
 * trashed. Prints JSON of what changed. Run with the WPA_* environment of the stack.
 */
declare(strict_types=1);
require getenv('WPA_PHP_DIR') . '/bootstrap.php';

$out = ['new_posts' => [], 'edited_posts' => [], 'new_comments' => [], 'trashed_comment' => null,
        'trashed_post' => null];
$old = get_posts(['numberposts' => -1, 'post_status' => 'publish', 'orderby' => 'ID',
                  'order' => 'ASC', 'has_password' => false]);
$author = (int) $old[0]->post_author;
for ($i = 1; $i <= 3; $i++) {
    $id = wp_insert_post(['post_title' => "Recrawl new post $i", 'post_status' => 'publish',
        'post_author' => $author, 'post_content' => "<p>A new review number $i.</p>"], true);
    $out['new_posts'][] = $id;
    for ($c = 1; $c <= 2; $c++) {
        $out['new_comments'][] = wp_insert_comment(['comment_post_ID' => $id,
            'comment_author' => "Reader $c", 'comment_content' => "Comment $c on new post $i",
            'comment_approved' => 1]);
    }
}
foreach ([$old[1], $old[2]] as $post) {
    wp_update_post(['ID' => $post->ID, 'post_content' => $post->post_content
        . "\n<p>Update: an edited paragraph for the re-crawl.</p>"]);
    $out['edited_posts'][] = $post->ID;
}
// 5 new comments on old posts (not edited ones), the last a reply to an existing comment
$targets = [$old[5], $old[6], $old[7], $old[8]];
foreach ($targets as $n => $post) {
    $out['new_comments'][] = wp_insert_comment(['comment_post_ID' => $post->ID,
        'comment_author' => 'Late reader', 'comment_content' => "A late comment $n",
        'comment_approved' => 1]);
}
$parents = get_comments(['post_id' => $old[9]->ID, 'status' => 'approve', 'type' => 'comment',
                         'number' => 1, 'orderby' => 'comment_ID', 'order' => 'ASC']);
$post_for_reply = $parents ? $old[9] : $old[10];
if (!$parents) {
    $parents = get_comments(['post_id' => $old[10]->ID, 'status' => 'approve', 'number' => 1]);
}
$out['new_comments'][] = wp_insert_comment(['comment_post_ID' => $post_for_reply->ID,
    'comment_author' => 'Replier', 'comment_content' => 'A late reply',
    'comment_parent' => $parents ? (int) $parents[0]->comment_ID : 0, 'comment_approved' => 1]);
// trash a comment (without replies) on an otherwise unchanged post, and a post
foreach (array_slice($old, 12) as $post) {
    foreach (get_comments(['post_id' => $post->ID, 'status' => 'approve', 'type' => 'comment'])
             as $comment) {
        if (!get_comments(['parent' => $comment->comment_ID, 'count' => true])) {
            wp_trash_comment($comment->comment_ID);
            $out['trashed_comment'] = (int) $comment->comment_ID;
            break 2;
        }
    }
}
$victim = $old[count($old) - 3];
wp_trash_post($victim->ID);
$out['trashed_post'] = $victim->ID;
echo json_encode($out), "\n";
