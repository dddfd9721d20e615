using MediaGateway.Content.Rendering;

namespace MediaGateway.Tests.Unit;

/// <summary>
/// The lengths the console shows (decision 37): what a follower reads in a WeChat article (ArticleText), and a Weibo post
/// as shared/platforms/weibo.md counts it ("status (≤140 characters …)"; WeiboText).
/// </summary>
public sealed class ArticleTextTests
{
    [Fact]
    public void An_80_character_markdown_article_reads_as_80_characters_though_its_html_is_longer()
    {
        const string text = "优化营商环境新举措。据内部人士透露，细则将另行公布。"
            + "市民可通过政务服务网站办理相关业务。市民可通过政务服务网站办理相关业务。市民可通过政务服务网站办理相关业务。";
        var body = WeChatBodyRenderer.Render("**优化营商环境**" + text[6..], BodyFormat.Markdown);

        var read = ArticleText.Of(body.Html);

        Assert.Equal(text, read);
        Assert.Equal(80, ArticleText.Length(read));
        Assert.True(body.Html.Length > 80, "the HTML carries markup the reader does not see");
    }

    [Fact]
    public void Paragraphs_become_lines_and_whitespace_and_images_are_not_counted()
    {
        var read = ArticleText.Of("<p>第一段  有 空格</p>\n<p><img src=\"media:abc\" alt=\"图\">第二段<br>第三行</p><ul><li>一</li><li>二</li></ul>");

        Assert.Equal("第一段 有 空格\n第二段\n第三行\n一\n二", read);
        Assert.Equal(14, ArticleText.Length(read));
    }

    [Theory]
    [InlineData("公开", 2)]
    [InlineData("Hello, 世界", 8)] // letters and punctuation count, the space does not
    [InlineData("👍🏽办事", 3)] // an emoji with its skin tone is one character
    [InlineData(" \n\t", 0)]
    public void A_reader_counts_each_visible_character_once(string text, int expected) =>
        Assert.Equal(expected, ArticleText.Length(text));

    [Fact]
    public void Preformatted_text_keeps_its_lines()
    {
        Assert.Equal("a  b\nc", ArticleText.Of("<pre>a  b\nc</pre>"));
    }

    // weibo.md, "Posting": "status (≤140 characters …)"; 20012 "text too long". It states no half-width or short-link rule,
    // so every character, Chinese or Latin, counts one and a link counts in full: never less than the platform's count.
    [Fact]
    public void Weibo_counts_140_chinese_characters_as_the_limit_and_one_more_as_over()
    {
        Assert.Equal(140, WeiboText.Length(new string('政', 140)));
        Assert.True(WeiboText.Length(new string('政', 141)) > WeiboText.MaxLength);
    }

    [Fact]
    public void Weibo_counts_latin_letters_and_links_character_by_character_as_the_fact_sheet_states_no_other_rule()
    {
        const string post = "【通知】详见 https://www.example.gov.cn/a";
        Assert.Equal(6 + 1 + "https://www.example.gov.cn/a".Length, WeiboText.Length(post));
    }
}
