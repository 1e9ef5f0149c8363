from scraper.crawl.fleet.hosts import host_group


def test_wordpress_com_blogs_share_one_host_group() -> None:
    assert host_group("https://films.wordpress.com/") == "wordpress.com"
    assert host_group("https://Posters.WordPress.com/2014/") == "wordpress.com"


def test_other_blogs_are_grouped_by_host_and_port() -> None:
    assert host_group("https://blog.example/") == "blog.example"
    assert host_group("http://127.0.0.1:8001/") == "127.0.0.1:8001"
    assert host_group("http://127.0.0.1:8002/") != host_group("http://127.0.0.1:8001/")
    assert host_group("https://notwordpress.com/") == "notwordpress.com"
