using System.Text;
using MediaGateway.Platforms.WeChat;

namespace MediaGateway.Platforms.Tests.Clients;

/// <summary>The callback crypto and event parsing (wechat-mp.md, "Callback URL"), as pure functions.</summary>
public sealed class WeChatCallbackTests
{
    private const string AppId = "wx0123456789abcdef";
    private const string Token = "tok123";
    private const string AesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFE";
    private const string Timestamp = "1700000000";
    private const string Nonce = "987654";
    private const string VectorXml = "<xml><ToUserName><![CDATA[gh_test]]></ToUserName></xml>";

    /// <summary>
    /// Computed by hand with openssl, not with the code under test: plaintext "0123456789abcdef" + 00 00 00 37 + VectorXml
    /// + AppId + 03 03 03, then `openssl enc -aes-256-cbc -K 69b71d79…831051 -iv 69b71d79f8218a39259a7a29aabb2dba -nopad -base64`
    /// (key = Base64(AesKey + "=")).
    /// </summary>
    private const string VectorEncrypt =
        "Q3stYC6hdFzMh9T8HCvyDIQhNBKAUkwNYBQUOzfOEN1wwe0ur/YUh/iu8nBqcMtmsvDShC9OR79M2UKlt6DzThELCMhP0Qg+vuza6kS1/lwrw7anKR64zx7adzAo3znY";

    /// <summary>`sha1sum` of "1700000000" + "987654" + "tok123" (sorted).</summary>
    private const string VectorSignature = "d002db05bf547396f7f17e1580457c53a159f4f1";

    /// <summary>`sha1sum` of the sorted [token, timestamp, nonce, VectorEncrypt].</summary>
    private const string VectorMsgSignature = "103eb2809674f85f0ec3951398d313cdfd4516c8";

    private static readonly WeChatCallback Safe = new(AppId, Token, AesKey);
    private static readonly WeChatCallback Plain = new(AppId, Token, encodingAesKey: null);

    [Fact]
    public void Sign_MatchesTheOpensslVectors()
    {
        Assert.Equal(VectorSignature, WeChatCallback.Sign(Token, Timestamp, Nonce));
        Assert.Equal(VectorMsgSignature, WeChatCallback.Sign(Token, Timestamp, Nonce, VectorEncrypt));
    }

    [Fact]
    public void Encrypt_WithTheVectorsRandomBytes_GivesTheOpensslCiphertext_AndDecryptInvertsIt()
    {
        Assert.Equal(VectorEncrypt, Safe.Encrypt(VectorXml, "0123456789abcdef"u8.ToArray()));
        Assert.Equal(VectorXml, Safe.Decrypt(VectorEncrypt));
    }

    [Fact]
    public void Handshake_AnswersEchostrOnlyWithTheRightSignature()
    {
        Assert.Equal("echo-42", Plain.Handshake(VectorSignature, Timestamp, Nonce, "echo-42"));
        Assert.Equal("echo-42", Plain.Handshake(VectorSignature.ToUpperInvariant(), Timestamp, Nonce, "echo-42"));
        Assert.Null(Plain.Handshake(VectorSignature, Timestamp, "987655", "echo-42"));
        Assert.Null(Plain.Handshake("0" + VectorSignature[1..], Timestamp, Nonce, "echo-42"));
        Assert.Null(Plain.Handshake(null, Timestamp, Nonce, "echo-42"));
        Assert.Null(new WeChatCallback(AppId, "other-token", null).Handshake(VectorSignature, Timestamp, Nonce, "echo-42"));
    }

    [Fact]
    public void RoundTrip_ChineseAndEmojiXml_ThroughOpenMessage()
    {
        const string xml = "<xml><Content><![CDATA[汛期安全提示 🌧️]]></Content></xml>";
        var encrypt = Safe.Encrypt(xml);
        var body = $"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";
        var msgSignature = WeChatCallback.Sign(Token, Timestamp, Nonce, encrypt);

        var opened = Safe.OpenMessage(WeChatCallback.Sign(Token, Timestamp, Nonce), Timestamp, Nonce, "aes", msgSignature, body);

        Assert.Equal(xml, opened);
        Assert.NotEqual(encrypt, Safe.Encrypt(xml)); // 16 fresh random bytes each time
    }

    [Fact]
    public void OpenMessage_WrongMsgSignature_IsRejected()
    {
        var body = $"<xml><Encrypt><![CDATA[{VectorEncrypt}]]></Encrypt></xml>";

        var ex = Assert.Throws<WeChatCallbackException>(() =>
            Safe.OpenMessage(VectorSignature, Timestamp, Nonce, "aes", VectorSignature, body));
        Assert.Contains("msg_signature", ex.Message, StringComparison.Ordinal);
        Assert.Equal(VectorXml, Safe.OpenMessage(VectorSignature, Timestamp, Nonce, "aes", VectorMsgSignature, body));
    }

    [Fact]
    public void Decrypt_MessageForAnotherAppId_IsRejected()
    {
        var other = new WeChatCallback("wxffffffffffffffff", Token, AesKey);

        var ex = Assert.Throws<WeChatCallbackException>(() => other.Decrypt(VectorEncrypt));
        Assert.Contains("appid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_WithAnotherKey_FailsOnPaddingOrAppId_NeverReturnsText()
    {
        var wrongKey = new WeChatCallback(AppId, Token, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefE");

        Assert.Throws<WeChatCallbackException>(() => wrongKey.Decrypt(VectorEncrypt));
        Assert.Throws<WeChatCallbackException>(() => Safe.Decrypt("not base64 !"));
        Assert.Throws<WeChatCallbackException>(() => Safe.Decrypt(Convert.ToBase64String(new byte[15])));
    }

    [Fact]
    public void OpenMessage_PlainMode_ChecksSignature_AndRefusesDowngradeOrUnknownEncryption()
    {
        const string xml = "<xml><MsgType><![CDATA[event]]></MsgType></xml>";

        Assert.Equal(xml, Plain.OpenMessage(VectorSignature, Timestamp, Nonce, null, null, xml));
        Assert.Throws<WeChatCallbackException>(() => Plain.OpenMessage("deadbeef", Timestamp, Nonce, null, null, xml));
        Assert.Throws<WeChatCallbackException>(() => Safe.OpenMessage(VectorSignature, Timestamp, Nonce, "raw", null, xml));
        Assert.Throws<WeChatCallbackException>(() => Plain.OpenMessage(VectorSignature, Timestamp, Nonce, "aes", VectorMsgSignature,
            $"<xml><Encrypt><![CDATA[{VectorEncrypt}]]></Encrypt></xml>"));
    }

    [Fact]
    public void OpenMessage_RefusesDtds()
    {
        const string evil = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Encrypt>&e;</Encrypt></xml>";
        var sig = WeChatCallback.Sign(Token, Timestamp, Nonce);

        Assert.Throws<WeChatCallbackException>(() => Safe.OpenMessage(sig, Timestamp, Nonce, "aes", sig, evil));
    }

    [Fact]
    public void ParseEvent_PublishJobFinished_Success()
    {
        const string xml = """
            <xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
            <CreateTime>1481013459</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>
            <PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status>
            <article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4]]></article_id>
            <article_detail><count>2</count><item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/a]]></article_url></item>
            <item><idx>2</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/b]]></article_url></item></article_detail>
            </PublishEventInfo></xml>
            """;

        var e = Assert.IsType<WeChatPublishJobFinished>(WeChatCallback.ParseEvent(xml));

        Assert.Equal("2247503051", e.PublishId);
        Assert.Equal(WeChatPublishStatus.Success, e.Status);
        Assert.Equal("b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWP4Hq4", e.ArticleId);
        Assert.Equal([new WeChatPublishedArticle(1, "https://mp.weixin.qq.com/s/a"), new WeChatPublishedArticle(2, "https://mp.weixin.qq.com/s/b")], e.Articles);
        Assert.Empty(e.FailedIndexes);
        Assert.Equal("gh_4d00ed8d6399", e.ToUserName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1481013459), e.CreateTime);
    }

    [Fact]
    public void ParseEvent_PublishJobFinished_RejectedWithFailIdx()
    {
        const string xml = "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
            + "<MsgType>event</MsgType><Event>PUBLISHJOBFINISH</Event><PublishEventInfo><publish_id>77</publish_id>"
            + "<publish_status>4</publish_status><fail_idx>1</fail_idx><fail_idx>2</fail_idx></PublishEventInfo></xml>";

        var e = Assert.IsType<WeChatPublishJobFinished>(WeChatCallback.ParseEvent(xml));

        Assert.Equal(WeChatPublishStatus.RejectedByReview, e.Status);
        Assert.Null(e.ArticleId);
        Assert.Empty(e.Articles);
        Assert.Equal([1, 2], e.FailedIndexes);
    }

    [Fact]
    public void ParseEvent_MassSendJobFinished_AndOtherEvents()
    {
        const string xml = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
            + "<CreateTime>1394524295</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>"
            + "<MsgID>1988</MsgID><Status><![CDATA[send success]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount>"
            + "<SentCount>75</SentCount><ErrorCount>5</ErrorCount></xml>";

        var mass = Assert.IsType<WeChatMassSendJobFinished>(WeChatCallback.ParseEvent(xml));
        var other = Assert.IsType<WeChatOtherEvent>(WeChatCallback.ParseEvent(
            "<xml><ToUserName>gh_1</ToUserName><FromUserName>o2</FromUserName><CreateTime>5</CreateTime><MsgType>event</MsgType><Event>subscribe</Event></xml>"));

        Assert.Equal(("1988", "send success", true, 100, 80, 75, 5),
            (mass.MsgId, mass.Status, mass.Succeeded, mass.TotalCount, mass.FilterCount, mass.SentCount, mass.ErrorCount));
        Assert.False(Assert.IsType<WeChatMassSendJobFinished>(WeChatCallback.ParseEvent(xml.Replace("send success", "err(30003)", StringComparison.Ordinal))).Succeeded);
        Assert.Equal("subscribe", other.Event);
    }

    [Fact]
    public void Constructor_RejectsAKeyThatIsNot43Base64Characters()
    {
        Assert.Throws<ArgumentException>(() => new WeChatCallback(AppId, Token, "short"));
        Assert.Throws<ArgumentException>(() => new WeChatCallback(AppId, Token, new string('!', 43)));
        Assert.True(Safe.SafeMode);
        Assert.False(Plain.SafeMode);
        Assert.Equal(32, Convert.FromBase64String(AesKey + "=").Length);
        Assert.Equal(55, Encoding.UTF8.GetByteCount(VectorXml));
    }
}
