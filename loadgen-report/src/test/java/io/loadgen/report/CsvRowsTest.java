package io.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Python's csv module with its defaults writes each expected string here byte for byte. */
class CsvRowsTest {
  @Test
  void quotesOnlyAFieldHoldingACommaQuoteOrLineBreakAndDoublesItsQuotes() {
    String csv =
        new CsvRows()
            .row("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "", "1,234.50")
            .toString();
    assertEquals(
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,\"1,234.50\"\r\n", csv);
  }

  @Test
  void leavesSpacesSemicolonsAndOtherPunctuationUnquoted() {
    assertEquals(
        " lead;trail ,#x,'q',(ms)\r\n",
        new CsvRows().row(" lead;trail ", "#x", "'q'", "(ms)").toString());
  }

  @Test
  void writesARowOfOneEmptyFieldAsTwoQuotesSoItIsNotABlankLine() {
    assertEquals("\"\"\r\n\r\n,\r\n", new CsvRows().row("").blankLine().row("", "").toString());
  }

  @Test
  void endsEveryRowInCrlfInTheOrderWritten() {
    assertEquals(
        "a,b\r\n\r\nc\r\n", new CsvRows().row(List.of("a", "b")).blankLine().row("c").toString());
  }
}
