package org.adpo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordsTest {
  @Test
  void oneTakesTheSingularEveryOtherCountThePlural() {
    assertEquals("1 round", Words.count(1, "round"));
    assertEquals("0 rounds", Words.count(0, "round"));
    assertEquals("2 closed rounds", Words.count(2, "closed round"));
    assertEquals("1 query", Words.count(1, "query", "queries"));
    assertEquals("3 queries", Words.count(3, "query", "queries"));
  }
}
