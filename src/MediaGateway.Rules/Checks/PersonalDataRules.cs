namespace MediaGateway.Rules;

/// <summary>
/// 18-digit resident ID numbers (GB 11643): a known province code, a real birth date, and the check character
/// (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → "10X98765432"; a lowercase x is accepted).
/// Unmasked ID numbers fail a national inspection: block. A unified social credit code is not an ID number.
/// </summary>
public sealed class IdNumberRule : IRule
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10x98765432";
    private static readonly HashSet<int> Provinces =
    [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
    ];
    private static readonly string[] CreditCodeWords = ["信用代码", "社会信用", "credit code", "组织机构代码"];

    public string Id => "id-number";

    /// <summary>Whether 18 folded characters (digits, last may be x) form a valid ID number.</summary>
    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length != 18)
        {
            return false;
        }

        var sum = 0;
        for (var k = 0; k < 17; k++)
        {
            if (id[k] is < '0' or > '9')
            {
                return false;
            }

            sum += (id[k] - '0') * Weights[k];
        }

        var check = char.ToLowerInvariant(id[17]);
        if (check != CheckCharacters[sum % 11])
        {
            return false;
        }

        var province = ((id[0] - '0') * 10) + (id[1] - '0');
        if (!Provinces.Contains(province))
        {
            return false;
        }

        var year = int.Parse(id.Slice(6, 4), provider: System.Globalization.CultureInfo.InvariantCulture);
        var month = int.Parse(id.Slice(10, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        var day = int.Parse(id.Slice(12, 2), provider: System.Globalization.CultureInfo.InvariantCulture);
        return year is >= 1800 and <= 2100 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        var text = input.Text;
        foreach (var c in DigitRuns.Accepted(text, c => IsValid(c.Digits)))
        {
            if (DigitRuns.ContextBefore(text, c.Start, 12, CreditCodeWords))
            {
                continue;
            }

            findings.Add(new Finding
            {
                RuleId = Id,
                Severity = Severity.Block,
                Field = input.Field,
                Matched = text[c.Start..c.End],
                Start = c.Start,
                Length = c.End - c.Start,
                Source = "personal-data:id-number",
                Message = "含有未脱敏的身份证号码，发布前须遮盖（如 1101**********1234） / Unmasked ID number: mask it before publishing (e.g. 1101**********1234)",
            });
        }
    }
}

/// <summary>
/// Mobile numbers: 1[3-9] + 9 digits, optionally +86 / 0086 / 86, with spaces, hyphens or dots between groups and
/// full-width or circled digits. Masked forms (138****5678) are fine. Unmasked numbers fail an inspection: block.
/// </summary>
public sealed class MobileNumberRule : IRule
{
    public string Id => "mobile-number";

    /// <summary>Whether the folded digits are a mobile number, with or without the country code.</summary>
    public static bool IsMobile(string digits)
    {
        var d = digits.StartsWith("0086", StringComparison.Ordinal) ? digits[4..]
            : digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal) ? digits[2..]
            : digits;
        return d.Length == 11 && d[0] == '1' && d[1] is >= '3' and <= '9' && d.All(char.IsAsciiDigit);
    }

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        var text = input.Text;
        foreach (var c in DigitRuns.Accepted(text, c => IsMobile(c.Digits)))
        {
            var start = c.Start > 0 && text[c.Start - 1] is '+' or '＋' && c.Digits.Length > 11 ? c.Start - 1 : c.Start;
            findings.Add(new Finding
            {
                RuleId = Id,
                Severity = Severity.Block,
                Field = input.Field,
                Matched = text[start..c.End],
                Start = start,
                Length = c.End - start,
                Source = "personal-data:mobile-number",
                Message = "含有未脱敏的手机号码，发布前须遮盖（如 138****5678） / Unmasked mobile number: mask it before publishing (e.g. 138****5678)",
            });
        }
    }
}

/// <summary>
/// Bank card numbers: 16–19 digits passing the Luhn check AND either a UnionPay prefix (62) or a context word
/// before the number (卡号, 账号, 银行卡 …): Luhn alone passes one random string in ten. Block.
/// </summary>
public sealed class BankCardRule : IRule
{
    private static readonly string[] ContextWords =
        ["卡号", "银行卡", "账号", "帐号", "账户", "帐户", "储蓄卡", "信用卡", "借记卡", "开户行", "card", "account"];

    public string Id => "bank-card";

    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var k = digits.Length - 1; k >= 0; k--)
        {
            if (digits[k] is < '0' or > '9')
            {
                return false;
            }

            var d = digits[k] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    public void Check(RuleInput input, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(findings);
        var text = input.Text;
        foreach (var c in DigitRuns.Accepted(text, IsCard))
        {
            findings.Add(new Finding
            {
                RuleId = Id,
                Severity = Severity.Block,
                Field = input.Field,
                Matched = text[c.Start..c.End],
                Start = c.Start,
                Length = c.End - c.Start,
                Source = "personal-data:bank-card",
                Message = "含有未脱敏的银行卡号，发布前须遮盖（仅保留后四位） / Unmasked bank card number: mask it before publishing (keep the last four digits at most)",
            });
        }

        bool IsCard(NumberCandidate c) =>
            c.Digits.Length is >= 16 and <= 19
            && Luhn(c.Digits)
            && !IdNumberRule.IsValid(c.Digits)
            && (c.Digits.StartsWith("62", StringComparison.Ordinal) || DigitRuns.ContextBefore(text, c.Start, 16, ContextWords));
    }
}
