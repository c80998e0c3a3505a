"""The 志愿服务 pages: orders and dispatch, public ordering, teams and volunteers, bases, statistics, history."""
