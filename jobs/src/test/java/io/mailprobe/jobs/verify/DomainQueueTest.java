package io.mailprobe.jobs.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainQueueTest {

  @Test
  void takesTheDueOnesEarliestFirstWithinTheLimit() {
    DomainQueue queue = new DomainQueue();
    queue.add("late", 300);
    queue.add("b", 100);
    queue.add("a", 100);
    queue.add("first", 50);

    assertThat(queue.takeDue(100, 2)).containsExactly("first", "a");
    assertThat(queue.takeDue(100, 10)).containsExactly("b");
    assertThat(queue.takeDue(299, 10)).isEmpty();
    assertThat(queue.nextDueMs()).isEqualTo(300);
    assertThat(queue.size()).isEqualTo(1);
    assertThat(queue.takeDue(300, 10)).containsExactly("late");
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.nextDueMs()).isEqualTo(Long.MAX_VALUE);
  }
}
