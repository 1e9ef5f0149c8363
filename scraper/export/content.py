"""The post content WordPress gets back: the archived body, with the credit lines the
archive keeps apart put back where a reader sees them.

The archive stores a post's body without the credit lines at its start or end ("poster
designed by hai-fuh-ku", a captioned poster figure): they are credits, rows of their own.
A restored blog should show them again, so each credit whose text the body lacks returns
at the end of the content, as a paragraph or, when it credits an image the body does not
show, as a captioned figure, with the credited name linked as it was. The caption of the
poster (the featured image) is not content: it goes back as the poster attachment's caption.
"""

from __future__ import annotations

from html import escape

from scraper.archive.reading import CreditRecord, PostRecord


def is_poster_caption(post: PostRecord, credit: CreditRecord) -> bool:
    """A credit read from the featured image's caption, not from the body."""
    return (credit.place == "caption" and credit.image_url is not None
            and credit.image_url == post.featured_image_url
            and credit.image_url not in post.body_html)


def poster_caption(post: PostRecord) -> str:
    """The featured image's caption, as HTML (empty when the archive holds none)."""
    return " ".join(credit_html(c) for c in post.credits if is_poster_caption(post, c))


def post_content(post: PostRecord) -> str:
    """The body HTML with the credits it lacks appended."""
    missing = [c for c in post.credits
               if c.text and c.text not in post.body_text and not is_poster_caption(post, c)]
    alts = {image.url: image.alt or "" for image in post.images}
    blocks = [post.body_html.rstrip()] if post.body_html.strip() else []
    for credit in missing:
        if credit.image_url and credit.image_url not in post.body_html:
            blocks.append(
                f'<figure class="wp-caption"><img src="{escape(credit.image_url)}"'
                f' alt="{escape(alts.get(credit.image_url, ""))}" />'
                f'<figcaption class="wp-caption-text">{credit_html(credit)}</figcaption></figure>')
        else:
            blocks.append(f"<p>{credit_html(credit)}</p>")
    return "\n".join(blocks)


def credit_html(credit: CreditRecord) -> str:
    """A credit line as HTML, the credited name linked when the blog linked it."""
    text = escape(credit.text, quote=False)
    if credit.url and credit.name and escape(credit.name, quote=False) in text:
        name = escape(credit.name, quote=False)
        link = f'<a href="{escape(credit.url)}">{name}</a>'
        return text.replace(name, link, 1)
    return text
