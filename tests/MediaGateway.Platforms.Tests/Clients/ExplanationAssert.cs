namespace MediaGateway.Platforms.Tests.Clients;

internal static class ExplanationAssert
{
    /// <summary>"中文说明 / English explanation": Chinese first, then English.</summary>
    public static void IsBilingual(string explanation)
    {
        var separator = explanation.IndexOf(" / ", StringComparison.Ordinal);
        Assert.True(separator > 0, $"No ' / ' separator in: {explanation}");
        var chinese = explanation[..separator];
        var english = explanation[(separator + 3)..];
        Assert.Contains(chinese, c => c is >= '\u4e00' and <= '\u9fff');
        Assert.DoesNotContain(english, c => c is >= '\u4e00' and <= '\u9fff');
        Assert.Contains(english, char.IsAsciiLetter);
    }
}
