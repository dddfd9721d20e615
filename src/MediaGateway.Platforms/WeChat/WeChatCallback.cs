using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace MediaGateway.Platforms.WeChat;

/// <summary>
/// The callback URL's crypto and event parsing (wechat-mp.md, "Callback URL"), with no I/O: the host maps the HTTP
/// endpoint and hands the query values and body here. One instance per account (appid, token, optional EncodingAESKey).
/// Thread-safe.
/// </summary>
public sealed class WeChatCallback
{
    /// <summary>PKCS#7 padding to 32-byte blocks, as the sheet says (not AES's 16).</summary>
    private const int PadBlock = 32;

    private readonly byte[]? _key;

    /// <param name="appId">The account's appid: the tail of every decrypted message must name it.</param>
    /// <param name="token">The callback Token configured on the platform.</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey for safe mode; null in plain mode.</param>
    public WeChatCallback(string appId, string token, string? encodingAesKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentException.ThrowIfNullOrEmpty(token);
        AppId = appId;
        Token = token;
        if (!string.IsNullOrEmpty(encodingAesKey))
        {
            _key = DecodeKey(encodingAesKey);
        }
    }

    public string AppId { get; }

    public string Token { get; }

    /// <summary>True when an EncodingAESKey was given: messages with <c>encrypt_type=aes</c> can be opened.</summary>
    public bool SafeMode => _key is not null;

    /// <summary>Lowercase hex SHA-1 of the parts sorted ordinally and concatenated (both signatures of the sheet).</summary>
    public static string Sign(params ReadOnlySpan<string> parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
#pragma warning disable CA5350 // SHA-1 is the platform's protocol (wechat-mp.md, Callback URL), not our choice.
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted)));
#pragma warning restore CA5350
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The URL handshake and plain-mode pushes: <c>signature</c> = SHA-1 of sorted [token, timestamp, nonce]. Constant time.</summary>
    public bool VerifySignature(string? signature, string? timestamp, string? nonce) =>
        !string.IsNullOrEmpty(signature) && timestamp is not null && nonce is not null
        && FixedTimeEquals(signature, Sign(Token, timestamp, nonce));

    /// <summary>Safe mode: <c>msg_signature</c> = SHA-1 of sorted [token, timestamp, nonce, Encrypt]. Constant time.</summary>
    public bool VerifyMessageSignature(string? msgSignature, string? timestamp, string? nonce, string? encrypt) =>
        !string.IsNullOrEmpty(msgSignature) && timestamp is not null && nonce is not null && !string.IsNullOrEmpty(encrypt)
        && FixedTimeEquals(msgSignature, Sign(Token, timestamp, nonce, encrypt));

    /// <summary>
    /// The URL handshake (GET with signature, timestamp, nonce, echostr): the echostr to answer with, or null when the
    /// signature is wrong (answer 401/403 and nothing else).
    /// </summary>
    public string? Handshake(string? signature, string? timestamp, string? nonce, string? echostr) =>
        echostr is not null && VerifySignature(signature, timestamp, nonce) ? echostr : null;

    /// <summary>
    /// A push (POST): checks the signatures, decrypts in safe mode, and returns the event XML.
    /// <paramref name="encryptType"/> is the <c>encrypt_type</c> query value ("aes" for safe mode, absent or "raw" for plain).
    /// Throws <see cref="WeChatCallbackException"/> when the push is not authentic.
    /// </summary>
    public string OpenMessage(string? signature, string? timestamp, string? nonce, string? encryptType, string? msgSignature, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.Equals(encryptType, "aes", StringComparison.OrdinalIgnoreCase))
        {
            if (!SafeMode)
            {
                throw new WeChatCallbackException("An encrypted push arrived but no EncodingAESKey is configured for " + AppId + ".");
            }

            var encrypt = ReadElement(body, "Encrypt")
                ?? throw new WeChatCallbackException("The encrypted push has no Encrypt element.");
            if (!VerifyMessageSignature(msgSignature, timestamp, nonce, encrypt))
            {
                throw new WeChatCallbackException("msg_signature does not match.");
            }

            return Decrypt(encrypt);
        }

        if (SafeMode)
        {
            // With a key configured, a plain push is a downgrade: refuse it.
            throw new WeChatCallbackException("A plain push arrived but the account is in safe mode.");
        }

        if (!VerifySignature(signature, timestamp, nonce))
        {
            throw new WeChatCallbackException("signature does not match.");
        }

        return body;
    }

    /// <summary>
    /// Decrypts an <c>Encrypt</c> value: AES-256-CBC, IV = first 16 key bytes, PKCS#7 to 32 bytes;
    /// plaintext = 16 random bytes + 4-byte big-endian length + XML + appid. The appid must be this account's.
    /// </summary>
    public string Decrypt(string encrypt)
    {
        var key = _key ?? throw new InvalidOperationException("No EncodingAESKey configured.");
        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypt);
        }
        catch (FormatException ex)
        {
            throw new WeChatCallbackException("Encrypt is not Base64.", ex);
        }

        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            throw new WeChatCallbackException("Encrypt is not a whole number of AES blocks.");
        }

        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = key;
            plain = aes.DecryptCbc(cipher, key.AsSpan(0, 16), PaddingMode.None);
        }

        int pad = plain[^1];
        if (pad < 1 || pad > PadBlock || pad > plain.Length)
        {
            throw new WeChatCallbackException("Bad padding: wrong key or corrupted message.");
        }

        for (var i = plain.Length - pad; i < plain.Length; i++)
        {
            if (plain[i] != pad)
            {
                throw new WeChatCallbackException("Bad padding: wrong key or corrupted message.");
            }
        }

        var contentLength = plain.Length - pad;
        if (contentLength < 20)
        {
            throw new WeChatCallbackException("The decrypted message is too short.");
        }

        var xmlLength = BinaryPrimitives.ReadInt32BigEndian(plain.AsSpan(16, 4));
        if (xmlLength < 0 || 20 + xmlLength > contentLength)
        {
            throw new WeChatCallbackException("The decrypted length field is out of range.");
        }

        ReadOnlySpan<byte> appId = plain.AsSpan(20 + xmlLength, contentLength - 20 - xmlLength);
        if (!CryptographicOperations.FixedTimeEquals(appId, Encoding.UTF8.GetBytes(AppId)))
        {
            throw new WeChatCallbackException("The message is for another appid.");
        }

        return Encoding.UTF8.GetString(plain, 20, xmlLength);
    }

    /// <summary>The inverse of <see cref="Decrypt"/>, with 16 fresh random bytes (or <paramref name="random16"/>, for test vectors).</summary>
    public string Encrypt(string xml, byte[]? random16 = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var key = _key ?? throw new InvalidOperationException("No EncodingAESKey configured.");
        var random = random16 ?? RandomNumberGenerator.GetBytes(16);
        if (random.Length != 16)
        {
            throw new ArgumentException("Exactly 16 random bytes.", nameof(random16));
        }

        var xmlBytes = Encoding.UTF8.GetBytes(xml);
        var appId = Encoding.UTF8.GetBytes(AppId);
        var length = 20 + xmlBytes.Length + appId.Length;
        var pad = PadBlock - (length % PadBlock);
        var plain = new byte[length + pad];
        random.CopyTo(plain, 0);
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16, 4), xmlBytes.Length);
        xmlBytes.CopyTo(plain, 20);
        appId.CopyTo(plain, 20 + xmlBytes.Length);
        plain.AsSpan(length).Fill((byte)pad);

        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>
    /// The events the gateway consumes: <see cref="WeChatPublishJobFinished"/> and <see cref="WeChatMassSendJobFinished"/>;
    /// any other message or event comes back as <see cref="WeChatOtherEvent"/> (answer "success" and ignore it).
    /// </summary>
    public static WeChatCallbackEvent ParseEvent(string xml)
    {
        var root = Load(xml);
        var to = Text(root, "ToUserName") ?? string.Empty;
        var from = Text(root, "FromUserName") ?? string.Empty;
        var created = DateTimeOffset.FromUnixTimeSeconds(Long(root, "CreateTime") ?? 0);
        var msgType = Text(root, "MsgType") ?? string.Empty;
        var eventName = Text(root, "Event") ?? string.Empty;

        if (msgType == "event" && string.Equals(eventName, "PUBLISHJOBFINISH", StringComparison.OrdinalIgnoreCase))
        {
            var info = root.Element("PublishEventInfo") ?? throw new WeChatCallbackException("PUBLISHJOBFINISH without PublishEventInfo.");
            var articles = (info.Element("article_detail")?.Elements("item") ?? [])
                .Select(i => new WeChatPublishedArticle((int)(Long(i, "idx") ?? 0), Text(i, "article_url") ?? string.Empty))
                .Where(a => a.ArticleUrl.Length > 0)
                .ToList();
            var failIdx = info.Elements("fail_idx")
                .Select(e => int.TryParse(e.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (int?)null)
                .OfType<int>()
                .ToList();
            var article = Text(info, "article_id") ?? string.Empty;
            return new WeChatPublishJobFinished(to, from, created,
                Text(info, "publish_id") ?? throw new WeChatCallbackException("PUBLISHJOBFINISH without publish_id."),
                (WeChatPublishStatus)(Long(info, "publish_status") ?? throw new WeChatCallbackException("PUBLISHJOBFINISH without publish_status.")),
                article.Length == 0 ? null : article,
                articles,
                failIdx);
        }

        if (msgType == "event" && string.Equals(eventName, "MASSSENDJOBFINISH", StringComparison.OrdinalIgnoreCase))
        {
            var status = Text(root, "Status") ?? string.Empty;
            return new WeChatMassSendJobFinished(to, from, created,
                Text(root, "MsgID") ?? Text(root, "MsgId") ?? throw new WeChatCallbackException("MASSSENDJOBFINISH without MsgID."),
                status,
                string.Equals(status, "send success", StringComparison.OrdinalIgnoreCase),
                (int)(Long(root, "TotalCount") ?? 0),
                (int)(Long(root, "FilterCount") ?? 0),
                (int)(Long(root, "SentCount") ?? 0),
                (int)(Long(root, "ErrorCount") ?? 0));
        }

        return new WeChatOtherEvent(to, from, created, msgType, eventName);
    }

    /// <summary>The answer to every push the gateway accepted: the platform stops retrying on "success".</summary>
    public const string SuccessReply = "success";

    private static byte[] DecodeKey(string encodingAesKey)
    {
        if (encodingAesKey.Length != 43)
        {
            throw new ArgumentException("The EncodingAESKey has 43 characters.", nameof(encodingAesKey));
        }

        try
        {
            return Convert.FromBase64String(encodingAesKey + "=");
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("The EncodingAESKey is not Base64.", nameof(encodingAesKey), ex);
        }
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(given.ToLowerInvariant()), Encoding.UTF8.GetBytes(expected));

    private static string? ReadElement(string xml, string name) => Text(Load(xml), name);

    /// <summary>Parses without DTDs or external entities (the body comes from the network).</summary>
    private static XElement Load(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 4 * 1024 * 1024 };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return XDocument.Load(reader).Root ?? throw new WeChatCallbackException("Empty XML.");
        }
        catch (XmlException ex)
        {
            throw new WeChatCallbackException("The push is not well-formed XML.", ex);
        }
    }

    private static string? Text(XElement parent, string name) => parent.Element(name)?.Value.Trim();

    private static long? Long(XElement parent, string name) =>
        long.TryParse(Text(parent, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}

/// <summary>A push that is not authentic or cannot be read: answer 400/401 and do not act on it.</summary>
public sealed class WeChatCallbackException : Exception
{
    public WeChatCallbackException()
    {
    }

    public WeChatCallbackException(string message)
        : base(message)
    {
    }

    public WeChatCallbackException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>A push from the platform to the callback URL.</summary>
public abstract record WeChatCallbackEvent(string ToUserName, string FromUserName, DateTimeOffset CreateTime);

/// <summary><c>PUBLISHJOBFINISH</c>: the outcome of a <c>freepublish/submit</c>, the same fields as <c>freepublish/get</c>.</summary>
public sealed record WeChatPublishJobFinished(
    string ToUserName,
    string FromUserName,
    DateTimeOffset CreateTime,
    string PublishId,
    WeChatPublishStatus Status,
    string? ArticleId,
    IReadOnlyList<WeChatPublishedArticle> Articles,
    IReadOnlyList<int> FailedIndexes) : WeChatCallbackEvent(ToUserName, FromUserName, CreateTime);

/// <summary><c>MASSSENDJOBFINISH</c>: the outcome of a mass send. <paramref name="Status"/> is "send success", "send fail" or "err(code)".</summary>
public sealed record WeChatMassSendJobFinished(
    string ToUserName,
    string FromUserName,
    DateTimeOffset CreateTime,
    string MsgId,
    string Status,
    bool Succeeded,
    int TotalCount,
    int FilterCount,
    int SentCount,
    int ErrorCount) : WeChatCallbackEvent(ToUserName, FromUserName, CreateTime);

/// <summary>Any other message or event: acknowledge and ignore.</summary>
public sealed record WeChatOtherEvent(
    string ToUserName,
    string FromUserName,
    DateTimeOffset CreateTime,
    string MsgType,
    string Event) : WeChatCallbackEvent(ToUserName, FromUserName, CreateTime);
