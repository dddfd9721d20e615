using MediaGateway.Tests.Infrastructure;

namespace MediaGateway.Tests.Scheduling;

/// <summary>
/// A gateway of its own (own Redis: the slots these tests take are theirs). The demo accounts carry the demo slots
/// (wx-city 18:00 every day, wb-city 08:30/12:00/17:30 on working days); wx-life is a subscription account that
/// mass-sends (one a China day) with a 09:00 slot every day; wx-mass has 07:00 and 19:00 every day; wx-close has no slots.
/// </summary>
public sealed class SchedulingTestHost() : GatewayTestHost(
[
    "--Accounts:wx-life:PublishMode=MassSend",
    "--Accounts:wx-life:Slots:Times:0=09:00",
    "--Accounts:wx-life:Slots:OnHolidays=Keep",
    "--Accounts:wx-mass:Slots:Times:0=07:00",
    "--Accounts:wx-mass:Slots:Times:1=19:00",
    "--Accounts:wx-mass:Slots:OnHolidays=Keep",
]);

[CollectionDefinition(Name)]
public sealed class SchedulingCollection : ICollectionFixture<SchedulingTestHost>
{
    public const string Name = "posting-slots";
}
