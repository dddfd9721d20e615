namespace MediaGateway.Rules.Tests;

/// <summary>ID numbers, mobile numbers and bank cards: the standard's examples and near misses.</summary>
public sealed class PersonalDataTests
{
    private static List<Finding> Run(IRule rule, string text)
    {
        var findings = new List<Finding>();
        rule.Check(new RuleInput("body", text), findings);
        Assert.All(findings, f => Assert.Equal(text.Substring(f.Start, f.Length), f.Matched));
        return findings;
    }

    [Theory]
    [InlineData("11010519491231002X")] // GB 11643-1999 example (check character X)
    [InlineData("11010519491231002x")] // lowercase x accepted
    [InlineData("440524188001010014")] // GB 11643-1999 example (born 1880)
    [InlineData("110105200002291235")] // 29 February of a leap year
    public void ValidIdNumbers_AreValid(string id) => Assert.True(IdNumberRule.IsValid(id));

    [Theory]
    [InlineData("110105194912310021")] // wrong check digit
    [InlineData("110105190002291230")] // 1900 was not a leap year (check digit right for the digits)
    [InlineData("110105199013011235")] // month 13
    [InlineData("990105194912310028")] // no such province
    [InlineData("11010519491231002")]  // 17 digits
    public void NearMisses_AreNotIdNumbers(string id) => Assert.False(IdNumberRule.IsValid(id));

    [Fact]
    public void ImpossibleDate_IsRejected_EvenWithAMatchingCheckDigit()
    {
        // Compute the right check character for a 30 February date: only the date makes it invalid.
        var body = "11010519900230123";
        int[] w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var check = "10X98765432"[body.Select((c, i) => (c - '0') * w[i]).Sum() % 11];
        Assert.False(IdNumberRule.IsValid(body + check));
    }

    [Fact]
    public void IdNumberInText_IsBlocked_WithItsSpan()
    {
        var f = Assert.Single(Run(new IdNumberRule(), "身份证号：11010519491231002X，请核对。"));
        Assert.Equal(("id-number", Severity.Block, 5, 18), (f.RuleId, f.Severity, f.Start, f.Length));
    }

    [Theory]
    [InlineData("身份证号：1101**********002X")]          // masked
    [InlineData("编号110105194912310021")]              // wrong check digit
    [InlineData("统一社会信用代码：91350100M000100Y43")]  // a credit code (letters)
    [InlineData("统一社会信用代码 110105194912310028X")]   // 19 characters
    [InlineData("订单号1101051949123100212")]           // longer digit string containing a valid-looking prefix
    public void MaskedNumbersAndCodes_AreNotIdNumbers(string text) => Assert.Empty(Run(new IdNumberRule(), text));

    [Fact]
    public void AllDigitCreditCode_LabelledAsSuch_IsNotAnIdNumber()
    {
        Assert.Empty(Run(new IdNumberRule(), "统一社会信用代码：11010519491231002X"));
        Assert.Single(Run(new IdNumberRule(), "联系人证件：11010519491231002X"));
    }

    [Theory]
    [InlineData("电话13800138000咨询", "13800138000")]
    [InlineData("电话 +86 138-0013-8000 咨询", "+86 138-0013-8000")]
    [InlineData("电话0086 13800138000", "0086 13800138000")]
    [InlineData("电话１３８００１３８０００", "１３８００１３８０００")]
    [InlineData("电话①③⑧⓪⓪①③⑧⓪⓪⓪", "①③⑧⓪⓪①③⑧⓪⓪⓪")]
    [InlineData("电话 138 0013 8000。", "138 0013 8000")]
    [InlineData("2023年 13912345678", "13912345678")]
    public void MobileNumbers_InTheirForms_AreBlocked(string text, string matched)
    {
        var f = Assert.Single(Run(new MobileNumberRule(), text));
        Assert.Equal(("mobile-number", Severity.Block, matched), (f.RuleId, f.Severity, f.Matched));
    }

    [Theory]
    [InlineData("电话138****8000")]      // masked
    [InlineData("电话12800138000")]      // 12x is not a mobile prefix
    [InlineData("编号138001380001")]     // 12 digits
    [InlineData("座机0571-87654321")]    // landline
    [InlineData("产品型号A13800138000")] // glued to letters
    public void NotMobileNumbers(string text) => Assert.Empty(Run(new MobileNumberRule(), text));

    [Fact]
    public void PublishedHotline_OnTheAllowList_IsNotReported()
    {
        var lists = new RuleLists(WordList.Parse("m", "", Severity.Block), WordList.Parse("s", "", Severity.Flag))
        {
            AllowList = WordList.Parse("allow", "13800138000 | info | hotline\n12345", Severity.Info),
        };
        var rules = RuleSet.Create(lists);
        Assert.Empty(rules.Evaluate([new RuleInput("body", "服务热线：138-0013-8000，市民热线12345")]));
        var other = Assert.Single(rules.Evaluate([new RuleInput("body", "联系人电话：13912345678")]));
        Assert.Equal("mobile-number", other.RuleId);
    }

    [Theory]
    [InlineData("银行卡号：6217 0001 2345 6789 019", "6217 0001 2345 6789 019")] // UnionPay prefix + context
    [InlineData("转账至6222021234567894", "6222021234567894")]                  // UnionPay prefix alone
    [InlineData("收款账号 4111-1111-1111-1111", "4111-1111-1111-1111")]         // context word, no 62 prefix
    public void BankCards_WithLuhnAndPrefixOrContext_AreBlocked(string text, string matched)
    {
        var f = Assert.Single(Run(new BankCardRule(), text));
        Assert.Equal(("bank-card", matched), (f.RuleId, f.Matched));
    }

    [Theory]
    [InlineData("银行卡号：6217000123456789018")]  // Luhn fails
    [InlineData("流水号4111111111111111")]          // Luhn passes but no prefix and no context word
    [InlineData("银行卡号：6217 **** **** 9019")]   // masked
    [InlineData("卡号62170001234567")]              // 14 digits
    public void NotBankCards(string text) => Assert.Empty(Run(new BankCardRule(), text));

    [Fact]
    public void Luhn_MatchesKnownValues()
    {
        Assert.True(BankCardRule.Luhn("4111111111111111"));
        Assert.False(BankCardRule.Luhn("4111111111111112"));
        Assert.True(BankCardRule.Luhn("79927398713"));
    }
}
