package io.mailbus.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pins the replay command's arguments: what it refuses, and the JMS selector its filters become. */
class ReplayOptionsTest {

    @Test
    void shouldRefuseToMoveEverythingUnlessToldAll() {
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.dlq"))
                .hasMessageContaining("--all");
        assertThat(ReplayOptions.parse("--from", "email.dlq", "--all").jmsSelector()).isNull();
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.dlq", "--all", "--code", "550"))
                .hasMessageContaining("no filter");
    }

    @Test
    void shouldRefuseAMissingSourceTheTargetAsSourceAndUnknownArguments() {
        assertThatThrownBy(() -> ReplayOptions.parse("--all")).hasMessageContaining("--from");
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.send", "--all")).hasMessageContaining("same queue");
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.dlq", "--al")).hasMessageContaining("unknown argument");
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.dlq", "--id")).hasMessageContaining("needs a value");
    }

    @Test
    void shouldAcceptOnlyWellFormedCodesSoNothingReachesTheSelectorUnchecked() {
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.dlq", "--code", "550 OR 1=1"))
                .hasMessageContaining("three-digit");
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.dlq", "--enhanced-code", "5.1.1'"))
                .hasMessageContaining("enhanced status code");
        assertThatThrownBy(() -> ReplayOptions.parse("--from", "email.dlq", "--all", "--limit", "0"))
                .hasMessageContaining("positive");
    }

    @Test
    void shouldOrFiltersOfOneKindAndAndFiltersOfDifferentKinds() {
        ReplayOptions o = ReplayOptions.parse("--from", "email.rejected", "--code", "550", "--code", "551",
                "--enhanced-code", "5.1.1", "--selector", "MailbusIngress = 'kafka'");

        assertThat(o.jmsSelector()).isEqualTo("(MailbusSmtpCode = 550 OR MailbusSmtpCode = '550' OR MailbusSmtpCode = 551"
                                              + " OR MailbusSmtpCode = '551') AND MailbusEnhancedCode IN ('5.1.1')"
                                              + " AND (MailbusIngress = 'kafka')");
        assertThat(o.to()).isEqualTo("email.send");
        assertThat(o.dryRun()).isFalse();
    }

    @Test
    void shouldMatchRequestIdsOnlyWhenAskedForIds() {
        ReplayOptions byId = ReplayOptions.parse("--from", "email.dlq", "--id", "a", "--id", "b", "--dry-run");

        assertThat(byId.jmsSelector()).isNull();
        assertThat(byId.wantsId("a")).isTrue();
        assertThat(byId.wantsId("c")).isFalse();
        assertThat(byId.wantsId(null)).isFalse();
        assertThat(byId.dryRun()).isTrue();
        assertThat(ReplayOptions.parse("--from", "email.dlq", "--code", "451").wantsId(null)).isTrue();
    }
}
