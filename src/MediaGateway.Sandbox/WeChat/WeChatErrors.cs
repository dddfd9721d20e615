using System.Text.Json.Nodes;

namespace MediaGateway.Sandbox.WeChat;

/// <summary>WeChat errors: HTTP 200, {errcode, errmsg} with errmsg ending " rid: xxxxxxxx-xxxxxxxx-xxxxxxxx".</summary>
internal static class WeChatErrors
{
    public static JsonObject Error(int errcode, string? message = null) => new()
    {
        ["errcode"] = errcode,
        ["errmsg"] = (message ?? DefaultMessage(errcode)) + " rid: " + Rid(),
    };

    public static JsonObject Ok() => new() { ["errcode"] = 0, ["errmsg"] = "ok" };

    public static string Rid() => $"{Ids.Hex(8)}-{Ids.Hex(8)}-{Ids.Hex(8)}";

    public static string DefaultMessage(int errcode) => errcode switch
    {
        -1 => "system error",
        40001 => "invalid credential, access_token is invalid or not latest",
        40002 => "invalid grant_type",
        40004 => "invalid media type",
        40005 => "invalid file type",
        40006 => "invalid media size",
        40007 => "invalid media_id",
        40013 => "invalid appid",
        40014 => "invalid access_token",
        40033 => "invalid charset. please check your request, if include \\uxxxx will create fail!",
        40035 => "invalid args",
        40125 => "invalid appsecret",
        40164 => "invalid ip, not in whitelist",
        41001 => "access_token missing",
        41002 => "appid missing",
        41004 => "appsecret missing",
        41005 => "media data missing",
        42001 => "access_token expired",
        44003 => "empty news data",
        45002 => "content size out of limit",
        45003 => "title size out of limit",
        45004 => "description size out of limit",
        45005 => "url size out of limit",
        45008 => "article size out of limit",
        45009 => "reach max api daily quota limit",
        45011 => "api minute-quota reach limit  mustslower  retry next minute",
        45110 => "author size out of limit",
        47001 => "data format error",
        48001 => "api unauthorized",
        53501 => "publish too frequently",
        53502 => "Publish ID is invalid",
        53600 => "Article ID is invalid",
        _ => "sandbox injected error",
    };
}
